import FactoryCore

/// A task file's documents, of its header's kind.
public enum TaskDocuments: Sendable, Equatable {
    case multipleChoice([MultipleChoiceDocument])
    case exactMatch([ExactMatchDocument])
    case code([CodeDocument])

    /// The kind these documents are.
    public var kind: TaskKind {
        switch self {
        case .multipleChoice: return .multipleChoice
        case .exactMatch: return .exactMatch
        case .code: return .code
        }
    }

    /// How many documents there are.
    public var count: Int {
        switch self {
        case .multipleChoice(let documents): return documents.count
        case .exactMatch(let documents): return documents.count
        case .code(let documents): return documents.count
        }
    }

    /// The documents' ids, in file order.
    public var ids: [String] {
        switch self {
        case .multipleChoice(let documents): return documents.map(\.id)
        case .exactMatch(let documents): return documents.map(\.id)
        case .code(let documents): return documents.map(\.id)
        }
    }

    /// The first `count` documents (all of them when there are fewer).
    public func prefix(_ count: Int) -> TaskDocuments {
        switch self {
        case .multipleChoice(let documents): return .multipleChoice(Array(documents.prefix(count)))
        case .exactMatch(let documents): return .exactMatch(Array(documents.prefix(count)))
        case .code(let documents): return .code(Array(documents.prefix(count)))
        }
    }

    /// The primary metric of a uniform guesser on these documents: the mean of 1 / choices for
    /// multiple choice (summed in file order), 0 otherwise.
    public var chance: Double {
        guard case .multipleChoice(let documents) = self, !documents.isEmpty else { return 0 }
        return documents.reduce(0.0) { $0 + 1 / Double($1.choices.count) } / Double(documents.count)
    }

    var lineValues: [JSONValue] {
        switch self {
        case .multipleChoice(let documents): return documents.map(\.lineValue)
        case .exactMatch(let documents): return documents.map(\.lineValue)
        case .code(let documents): return documents.map(\.lineValue)
        }
    }
}
