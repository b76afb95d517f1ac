import FactoryCore
import Inference

/// A checked `POST /v1/chat/completions` body.
struct ChatCompletionRequest {
    var turns: [ChatMessage]
    /// `nil`: the rest of the sequence length.
    var maxTokens: Int?
    var sampling: SamplingFields
    var enableThinking: Bool
    var stream: Bool
    var includeUsage: Bool

    init(_ fields: JSONFields, model: ServedModel) throws {
        try ModelField.check(fields, model: model)
        guard let messages = fields.value("messages") else { throw APIError.invalid("messages", "messages is required") }
        guard case .array(let items) = messages else {
            throw APIError.invalid("messages", "messages must be a list of messages, not \(messages.typeName)")
        }
        guard !items.isEmpty else { throw APIError.invalid("messages", "messages must not be empty") }
        turns = try items.enumerated().map { index, item in try Self.turn(item, path: "messages[\(index)]") }
        maxTokens =
            try fields.int("max_completion_tokens", in: 0...Int(Int32.max)) ?? fields.int("max_tokens", in: 0...Int(Int32.max))
        sampling = try SamplingFields(fields)
        enableThinking = try Self.enableThinking(fields)
        stream = try fields.bool("stream") ?? false
        includeUsage = try StreamOptions.includeUsage(fields)
        try fields.refuseUnsupported("logprobs", unless: .bool(false))
        try fields.refuseUnsupported("tools", unless: .array([]))
        try fields.refuseUnsupported("response_format", unless: .object(["type": .string("text")]))
    }

    /// `chat_template_kwargs.enable_thinking` and `reasoning_effort` ("none" switches reasoning
    /// off); reasoning is on when neither says otherwise.
    private static func enableThinking(_ fields: JSONFields) throws -> Bool {
        var enabled = true
        if let effort = try fields.string("reasoning_effort") {
            guard ["none", "minimal", "low", "medium", "high"].contains(effort) else {
                throw APIError.invalid(
                    "reasoning_effort", "reasoning_effort must be one of none, minimal, low, medium, high; got '\(effort)'")
            }
            enabled = effort != "none"
        }
        if let kwargs = fields.value("chat_template_kwargs") {
            let options = try JSONFields(kwargs, path: "chat_template_kwargs")
            if let flag = try options.bool("enable_thinking") { enabled = flag }
        }
        return enabled
    }

    private static func turn(_ value: JSONValue, path: String) throws -> ChatMessage {
        let fields = try JSONFields(value, path: path)
        let roleName = try fields.requiredString("role")
        guard let role = ChatMessage.Role(rawValue: roleName) else {
            throw APIError.invalid(
                fields.name("role"), "\(fields.name("role")) must be system, user or assistant; got '\(roleName)'")
        }
        let content = try Self.content(fields)
        let reasoning = try fields.string("reasoning_content") ?? fields.string("reasoning")
        return ChatMessage(role: role, content: content, reasoning: reasoning)
    }

    /// `content`: a string, or a list of `{"type": "text", "text": …}` parts joined.
    private static func content(_ fields: JSONFields) throws -> String {
        guard let value = fields.value("content") else {
            throw APIError.invalid(fields.name("content"), "\(fields.name("content")) is required")
        }
        switch value {
        case .string(let text): return text
        case .array(let parts):
            return try parts.enumerated().map { index, part in
                let partFields = try JSONFields(part, path: fields.name("content") + "[\(index)]")
                let type = try partFields.requiredString("type")
                guard type == "text" else {
                    throw APIError.invalid(partFields.name("type"), "\(partFields.name("type")) '\(type)' is not supported; only text")
                }
                return try partFields.requiredString("text")
            }.joined()
        default:
            throw fields.typeError("content", "a string or a list of text parts", value)
        }
    }
}
