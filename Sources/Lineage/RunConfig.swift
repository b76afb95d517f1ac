import FactoryCore

/// A run's configuration: the value tree, its canonical JSON text and that text's digest.
///
/// The same settings give the same digest whether they came from TOML or JSON and whatever the
/// key order, so runs can be grouped and compared by configuration.
public struct RunConfig: Hashable, Sendable {
    /// The configuration tree (a table).
    public let value: ConfigValue
    /// `CanonicalJSON.encode(value)`.
    public let canonicalText: String
    /// The digest of `canonicalText`.
    public let digest: Digest

    /// Wraps a tree; it must be a table.
    public init(value: ConfigValue) throws {
        guard case .table = value else {
            throw FactoryError.invalidArgument(name: "config", message: "a run configuration must be a table, found \(value.kindName)")
        }
        self.value = value
        canonicalText = try CanonicalJSON.encode(value)
        digest = Digest.of(canonicalText)
    }

    /// Parses TOML text; `source` names it in errors.
    public init(toml text: String, source: String) throws {
        try self.init(value: ConfigValue.parseTOML(text, source: source))
    }

    /// Parses JSON text (for example the canonical text stored with a run); `source` names it.
    public init(json text: String, source: String) throws {
        try self.init(value: CanonicalJSON.decode(text, source: source))
    }

    /// Two configurations are equal when their canonical texts are.
    public static func == (lhs: RunConfig, rhs: RunConfig) -> Bool { lhs.canonicalText == rhs.canonicalText }

    public func hash(into hasher: inout Hasher) { hasher.combine(digest) }

    /// An empty configuration, for runs that have none.
    public static let empty = try! RunConfig(value: .table([:]))

    /// Every leaf by its dotted key path (`train.optimizer.lr`, `sources[1].path`), in key order.
    public var flattened: [(path: String, value: ConfigValue)] {
        var leaves = [(path: String, value: ConfigValue)]()
        Self.flatten(value, prefix: "", into: &leaves)
        return leaves
    }

    private static func flatten(_ value: ConfigValue, prefix: String, into leaves: inout [(path: String, value: ConfigValue)]) {
        switch value {
        case .table(let entries):
            for key in CanonicalJSON.sortedKeys(entries) {
                flatten(entries[key]!, prefix: prefix.isEmpty ? key : "\(prefix).\(key)", into: &leaves)
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                flatten(element, prefix: "\(prefix)[\(index)]", into: &leaves)
            }
        default:
            leaves.append((prefix, value))
        }
    }

    /// The leaf a user names: its full dotted path, or a suffix of whole path components
    /// (`lr` finds `train.optimizer.lr`) when exactly one leaf ends that way.
    ///
    /// - Returns: the full path and the value, or `nil` when no leaf matches.
    /// - Throws: `FactoryError.invalidArgument` when a suffix matches several leaves.
    public func leaf(named name: String) throws -> (path: String, value: ConfigValue)? {
        let leaves = flattened
        if let exact = leaves.first(where: { $0.path == name }) { return exact }
        let matches = leaves.filter { $0.path.hasSuffix("." + name) }
        guard matches.count <= 1 else {
            throw FactoryError.invalidArgument(
                name: name,
                message: "matches several config keys: \(matches.map(\.path).joined(separator: ", ")); name one in full")
        }
        return matches.first
    }
}

extension ConfigValue {
    /// A leaf's value as a user writes it: `muon`, `0.001`, `true`.
    public var plainText: String {
        switch self {
        case .string(let text), .dateTime(let text): return text
        case .integer(let number): return String(number)
        case .float(let number): return number.description
        case .bool(let flag): return flag ? "true" : "false"
        case .table, .array: return (try? CanonicalJSON.encode(self)) ?? kindName
        }
    }

    /// The number a numeric leaf holds, `nil` for anything else.
    public var numericValue: Double? {
        switch self {
        case .integer(let number): return Double(number)
        case .float(let number): return number
        default: return nil
        }
    }
}
