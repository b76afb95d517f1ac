import FactoryCore

/// A multiple-choice question: the model scores `" " + choice` after `context` for every choice.
///
/// On disk: `{"id": …, "context": …, "choices": [at least 2 non-empty strings], "gold": index}`.
/// The context must not be empty (lm-evaluation-harness would condition on a lone
/// beginning-of-text token there, which the factory's checkpoints need not have).
public struct MultipleChoiceDocument: Sendable, Equatable {
    public var id: String
    public var context: String
    public var choices: [String]
    /// The index of the right choice.
    public var gold: Int

    public init(id: String, context: String, choices: [String], gold: Int) {
        self.id = id
        self.context = context
        self.choices = choices
        self.gold = gold
    }

    init(_ fields: TaskLineFields) throws {
        try fields.requireOnly(["id", "context", "choices", "gold"])
        id = try fields.string("id")
        context = try fields.string("context")
        choices = try fields.strings("choices", minimumCount: 2, allowEmptyElements: false)
        gold = try fields.integer("gold", in: 0...(choices.count - 1))
    }

    var lineValue: JSONValue {
        .object(["id": .string(id), "context": .string(context), "choices": .array(choices.map { .string($0) }), "gold": .integer(gold)])
    }
}
