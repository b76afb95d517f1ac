import Documents
import FactoryCore

/// Which member of a duplicate cluster deduplication keeps.
///
/// Every rule ends in the same tie-break (least id, then earliest in the input), so the survivor
/// never depends on input order.
public enum DedupSurvivorPriority: Equatable, Sendable, CustomStringConvertible {
    /// Keep the document with the least id.
    case leastID
    /// Keep the document with the highest numeric value of metadata `key` (for example
    /// `quality_composite`, so dedup keeps the best copy). Documents without the key rank below
    /// every document with it.
    case highest(key: String)
    /// Keep the document with the lowest numeric value of metadata `key`; documents without the
    /// key rank below every document with it.
    case lowest(key: String)

    /// Parses `least-id`, `highest:KEY` or `lowest:KEY`.
    ///
    /// - Throws: ``FactoryError/invalidArgument(name:message:)`` naming `field` for any other text.
    public init(parsing text: String, field: String = "survivor") throws {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        switch (parts.first, parts.count) {
        case ("least-id", 1): self = .leastID
        case ("highest", 2) where !parts[1].isEmpty: self = .highest(key: parts[1])
        case ("lowest", 2) where !parts[1].isEmpty: self = .lowest(key: parts[1])
        default:
            throw FactoryError.invalidArgument(
                name: field, message: "'\(text)' is not least-id, highest:KEY or lowest:KEY (KEY a metadata key)")
        }
    }

    /// The spelling ``init(parsing:field:)`` reads.
    public var description: String {
        switch self {
        case .leastID: "least-id"
        case .highest(let key): "highest:\(key)"
        case .lowest(let key): "lowest:\(key)"
        }
    }

    /// The metadata key the rule ranks by, if any.
    public var key: String? {
        switch self {
        case .leastID: nil
        case .highest(let key), .lowest(let key): key
        }
    }

    /// The rank value of each document (larger is preferred; `nil` when it lacks the key), for rules
    /// with a key; empty for ``leastID``.
    ///
    /// - Throws: ``FactoryError/invalidArgument(name:message:)`` naming the document and key when a
    ///   value is not a finite number.
    func scores(of documents: [Document]) throws -> [Double?] {
        guard let key else { return [] }
        return try documents.map { document in
            guard let text = document.metadata[key] else { return nil }
            guard let value = Double(text), value.isFinite else {
                throw FactoryError.invalidArgument(
                    name: "document '\(document.id)' metadata '\(key)'",
                    message: "is '\(text)', not a finite number (dedup survivor rule \(self))")
            }
            if case .lowest = self { return -value }
            return value
        }
    }

    /// Whether document `lhs` (at input index `lhs`) is kept in preference to `rhs`, given `scores`
    /// from ``scores(of:)``.
    static func prefers(_ lhs: Int, over rhs: Int, documents: [Document], scores: [Double?]) -> Bool {
        if !scores.isEmpty, scores[lhs] != scores[rhs] {
            switch (scores[lhs], scores[rhs]) {
            case (let left?, let right?): return left > right
            case (.some, nil): return true
            default: return false
            }
        }
        return (documents[lhs].id, lhs) < (documents[rhs].id, rhs)
    }
}
