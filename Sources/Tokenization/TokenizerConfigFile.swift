import FactoryCore
import Foundation

/// `tokenizer_config.json`, the file beside `tokenizer.json` from which `transformers`'
/// `AutoTokenizer` learns the roles of special tokens (beginning, end, padding), the padding
/// side, the longest input and the chat template.
///
/// The factory writes it with `tokenizer_class` `PreTrainedTokenizerFast`, no automatically added
/// tokens, left padding (what batched generation with a decoder-only model needs), every added
/// token in `added_tokens_decoder`, and `ChatTemplate.jinja` when the tokenizer has the chat
/// tokens. Reading accepts what `transformers` writes: token roles as strings or as
/// `{"content": ...}` objects, and `chat_template` as a string or a list of named templates.
public struct TokenizerConfigFile: Equatable, Sendable {
    /// The file's name in a model folder.
    public static let fileName = "tokenizer_config.json"
    /// The separate template file newer `transformers` versions save instead of `chat_template`.
    public static let chatTemplateFileName = "chat_template.jinja"

    /// The beginning-of-sequence token's text.
    public var bosToken: String?
    /// The end-of-sequence token's text.
    public var eosToken: String?
    /// The padding token's text.
    public var padToken: String?
    /// The Jinja chat template.
    public var chatTemplate: String?
    /// The longest input, in tokens.
    public var modelMaxLength: Int?
    /// `"left"` or `"right"`.
    public var paddingSide: String?

    /// A configuration.
    public init(
        bosToken: String? = nil, eosToken: String? = nil, padToken: String? = nil, chatTemplate: String? = nil,
        modelMaxLength: Int? = nil, paddingSide: String? = nil
    ) {
        self.bosToken = bosToken
        self.eosToken = eosToken
        self.padToken = padToken
        self.chatTemplate = chatTemplate
        self.modelMaxLength = modelMaxLength
        self.paddingSide = paddingSide
    }

    /// The configuration the factory writes for `tokenizer`: `<|endoftext|>` as beginning and
    /// end of sequence and `<|pad|>` as padding where the tokenizer has them, left padding, and
    /// the chat template when it has all of `ChatTokens.chat`.
    public static func factory(for tokenizer: Tokenizer, modelMaxLength: Int) -> TokenizerConfigFile {
        let has = { (content: String) in tokenizer.addedTokenId(content) != nil }
        let endOfText = has(ChatTokens.endOfText) ? ChatTokens.endOfText : nil
        return TokenizerConfigFile(
            bosToken: endOfText, eosToken: endOfText, padToken: has(ChatTokens.pad) ? ChatTokens.pad : nil,
            chatTemplate: ChatTokens.chat.allSatisfy(has) ? ChatTemplate.jinja : nil, modelMaxLength: modelMaxLength,
            paddingSide: "left")
    }

    /// The id in `tokenizer` of a role's token text (`bosToken`, ...), or `nil` when the role has
    /// none. Throws `FactoryError.config` naming `source` and `key` when the tokenizer lacks it.
    public static func id(of token: String?, in tokenizer: Tokenizer, source: String, key: String) throws -> UInt32? {
        guard let token else { return nil }
        if let id = tokenizer.addedTokenId(token) { return id }
        let ids = tokenizer.encode(token)
        guard ids.count == 1 else {
            throw FactoryError.config(
                file: source, keyPath: key, line: nil, message: "'\(token)' is not a single token of tokenizer.json")
        }
        return ids[0]
    }

    /// The file's text for `tokenizer` (whose added tokens fill `added_tokens_decoder`): keys
    /// sorted, two-space indent, as `transformers` writes it.
    public func encoded(tokenizer: Tokenizer) -> Data {
        var fields: [(String, String)] = [
            ("add_bos_token", "false"), ("add_eos_token", "false"),
            ("clean_up_tokenization_spaces", "false"), ("tokenizer_class", JSONText.quoted("PreTrainedTokenizerFast")),
        ]
        let decoder = tokenizer.addedTokens.sorted { $0.id < $1.id }.map { token in
            "    \"\(token.id)\": {\n      \"content\": \(JSONText.quoted(token.content)),\n      \"lstrip\": false,\n"
                + "      \"normalized\": \(token.normalized),\n      \"rstrip\": false,\n      \"single_word\": false,\n"
                + "      \"special\": \(token.special)\n    }"
        }
        fields.append(("added_tokens_decoder", decoder.isEmpty ? "{}" : "{\n" + decoder.joined(separator: ",\n") + "\n  }"))
        for (key, value) in [("bos_token", bosToken), ("eos_token", eosToken), ("pad_token", padToken)] {
            fields.append((key, value.map { JSONText.quoted($0) } ?? "null"))
        }
        if let chatTemplate { fields.append(("chat_template", JSONText.quoted(chatTemplate))) }
        if let modelMaxLength { fields.append(("model_max_length", String(modelMaxLength))) }
        if let paddingSide { fields.append(("padding_side", JSONText.quoted(paddingSide))) }
        let body = fields.sorted { $0.0 < $1.0 }.map { "  \(JSONText.quoted($0.0)): \($0.1)" }
        return Data(("{\n" + body.joined(separator: ",\n") + "\n}\n").utf8)
    }

    /// Reads `tokenizer_config.json` at `path`, and the chat template from `chat_template.jinja`
    /// beside it when the file has none.
    ///
    /// Throws `FactoryError.fileNotFound` when the file is missing, and `FactoryError.config`
    /// naming the file and key when it is not a JSON object or a field has the wrong type.
    public static func read(path: String) throws -> TokenizerConfigFile {
        guard let data = FileManager.default.contents(atPath: path) else { throw FactoryError.fileNotFound(path: path) }
        func fail(_ key: String, _ message: String) -> FactoryError {
            FactoryError.config(file: path, keyPath: key, line: nil, message: message)
        }
        guard case .object(let root) = try JSONValue.parse(Array(data), source: path) else {
            throw fail("", "expected a JSON object")
        }
        func token(_ key: String) throws -> String? {
            switch root[key] {
            case nil, .null?: return nil
            case .string(let text)?: return text
            case .object(let fields)?:
                guard case .string(let text)? = fields["content"] else { throw fail("\(key).content", "expected a string") }
                return text
            case let other?: throw fail(key, "expected a token string, got \(other)")
            }
        }
        var config = TokenizerConfigFile(
            bosToken: try token("bos_token"), eosToken: try token("eos_token"), padToken: try token("pad_token"))
        switch root["chat_template"] {
        case nil, .null?: break
        case .string(let text)?: config.chatTemplate = text
        case .array(let entries)?:
            for (index, entry) in entries.enumerated() {
                guard case .object(let fields) = entry, case .string(let name)? = fields["name"],
                    case .string(let template)? = fields["template"]
                else { throw fail("chat_template[\(index)]", "expected {\"name\": ..., \"template\": ...}") }
                if name == "default" { config.chatTemplate = template }
            }
        case let other?: throw fail("chat_template", "expected a string or a list of named templates, got \(other)")
        }
        if config.chatTemplate == nil {
            let templatePath = (path as NSString).deletingLastPathComponent + "/" + chatTemplateFileName
            if let bytes = FileManager.default.contents(atPath: templatePath) {
                guard let text = String(validating: bytes, as: UTF8.self) else {
                    throw FactoryError.corrupt(path: templatePath, reason: "not valid UTF-8")
                }
                config.chatTemplate = text
            }
        }
        switch root["model_max_length"] {
        case nil, .null?: break
        case .integer(let value)?: config.modelMaxLength = value
        case .float(let value)?: config.modelMaxLength = value < 0x1p62 ? Int(value) : Int.max  // transformers' "unbounded" 1e30
        case let other?: throw fail("model_max_length", "expected a number, got \(other)")
        }
        switch root["padding_side"] {
        case nil, .null?: break
        case .string(let side)? where side == "left" || side == "right": config.paddingSide = side
        case let other?: throw fail("padding_side", "expected \"left\" or \"right\", got \(other)")
        }
        return config
    }
}
