import FactoryCore

/// A question answered by generation: greedy decoding from `prompt` until a stop string, the
/// end-of-text token or `maxTokens`; right when the normalized text equals the normalized
/// `answer` (``ExactMatch``).
///
/// On disk: `{"id": …, "prompt": …, "answer": …, "stop": [strings, may be empty], "max_tokens": n}`,
/// `max_tokens` optional (the settings' default then).
public struct ExactMatchDocument: Sendable, Equatable {
    public var id: String
    public var prompt: String
    public var answer: String
    /// Strings that end the generation (not part of the answer).
    public var stop: [String]
    /// At most this many generated tokens, when the document says.
    public var maxTokens: Int?

    public init(id: String, prompt: String, answer: String, stop: [String], maxTokens: Int? = nil) {
        self.id = id
        self.prompt = prompt
        self.answer = answer
        self.stop = stop
        self.maxTokens = maxTokens
    }

    init(_ fields: TaskLineFields) throws {
        try fields.requireOnly(["id", "prompt", "answer", "stop", "max_tokens"])
        id = try fields.string("id")
        prompt = try fields.string("prompt")
        answer = try fields.string("answer", allowEmpty: true)
        stop = try fields.strings("stop", minimumCount: 0, allowEmptyElements: false)
        maxTokens = fields.has("max_tokens") ? try fields.integer("max_tokens", in: 1...65_536) : nil
    }

    var lineValue: JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(id), "prompt": .string(prompt), "answer": .string(answer), "stop": .array(stop.map { .string($0) }),
        ]
        if let maxTokens { members["max_tokens"] = .integer(maxTokens) }
        return .object(members)
    }
}
