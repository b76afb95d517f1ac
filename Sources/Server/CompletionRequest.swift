import FactoryCore
import Inference

/// A checked `POST /v1/completions` body.
struct CompletionRequest {
    /// One prompt per choice, in tokens.
    var prompts: [[UInt32]]
    var maxTokens: Int
    var sampling: SamplingFields
    /// Alternatives per token (`logprobs: n`); `nil` when log-probabilities are off.
    var logprobs: Int?
    var echo: Bool
    var stream: Bool
    var includeUsage: Bool

    init(_ fields: JSONFields, model: ServedModel) throws {
        try ModelField.check(fields, model: model)
        guard let prompt = fields.value("prompt") else { throw APIError.invalid("prompt", "prompt is required") }
        prompts = try Self.prompts(prompt, tokenizer: model)
        maxTokens = try fields.int("max_tokens", in: 0...Int(Int32.max)) ?? 16
        sampling = try SamplingFields(fields)
        logprobs = try fields.int("logprobs", in: 0...20)
        echo = try fields.bool("echo") ?? false
        stream = try fields.bool("stream") ?? false
        includeUsage = try StreamOptions.includeUsage(fields)
        try fields.refuseUnsupported("suffix")
        if echo && stream { throw APIError.invalid("echo", "echo is not supported with stream") }
        for (index, tokens) in prompts.enumerated() {
            try PromptLength.check(tokens, maxTokens: maxTokens, model: model, field: prompts.count == 1 ? "prompt" : "prompt[\(index)]")
        }
    }

    /// `prompt`: text, token ids, or a non-empty list of either.
    private static func prompts(_ value: JSONValue, tokenizer model: ServedModel) throws -> [[UInt32]] {
        switch value {
        case .string(let text): return [try encode(text, model: model, field: "prompt")]
        case .array(let items) where items.isEmpty:
            throw APIError.invalid("prompt", "prompt must not be empty")
        case .array(let items):
            if items.allSatisfy({ if case .integer = $0 { true } else { false } }) {
                return [try tokens(items, model: model, field: "prompt")]
            }
            return try items.enumerated().map { index, item in
                switch item {
                case .string(let text): return try encode(text, model: model, field: "prompt[\(index)]")
                case .array(let ids) where !ids.isEmpty: return try tokens(ids, model: model, field: "prompt[\(index)]")
                default:
                    throw APIError.invalid(
                        "prompt", "prompt[\(index)] must be a string or a non-empty list of token ids, not \(item.typeName)")
                }
            }
        default:
            throw APIError.invalid("prompt", "prompt must be a string, a list of token ids or a list of either, not \(value.typeName)")
        }
    }

    private static func encode(_ text: String, model: ServedModel, field: String) throws -> [UInt32] {
        let tokens = model.tokenizer.encode(text)
        guard !tokens.isEmpty else { throw APIError.invalid("prompt", "\(field) must not be empty") }
        return tokens
    }

    private static func tokens(_ items: [JSONValue], model: ServedModel, field: String) throws -> [UInt32] {
        let size = model.tokenizer.vocabularySize
        return try items.enumerated().map { index, item in
            guard case .integer(let id) = item, id >= 0, id < size, model.tokenizer.bytes(ofToken: UInt32(id)) != nil else {
                throw APIError.invalid(
                    "prompt", "\(field)[\(index)] must be a token id of the vocabulary (0..<\(size)), got \(item.metadataText)")
            }
            return UInt32(id)
        }
    }
}

/// The `model` field every generation request carries.
enum ModelField {
    static func check(_ fields: JSONFields, model: ServedModel) throws {
        let name = try fields.requiredString("model")
        guard name == model.name else {
            throw APIError.invalid("model", "the model '\(name)' does not exist; this server serves '\(model.name)'")
        }
    }
}

/// `stream_options.include_usage`.
enum StreamOptions {
    static func includeUsage(_ fields: JSONFields) throws -> Bool {
        guard let options = fields.value("stream_options") else { return false }
        return try JSONFields(options, path: "stream_options").bool("include_usage") ?? false
    }
}

/// The prompt and the tokens asked for must fit the model's sequence length.
enum PromptLength {
    static func check(_ prompt: [UInt32], maxTokens: Int, model: ServedModel, field: String) throws {
        guard prompt.count < model.maxSequenceLength else {
            throw APIError.invalid(
                field, "\(field) is \(prompt.count) tokens; the model's maximum is \(model.maxSequenceLength) tokens including the output")
        }
        guard prompt.count + maxTokens <= model.maxSequenceLength else {
            throw APIError.invalid(
                "max_tokens",
                "max_tokens \(maxTokens) with a prompt of \(prompt.count) tokens exceeds the model's maximum of \(model.maxSequenceLength) tokens"
            )
        }
    }
}
