import FactoryCore

/// A `key=value` condition on runs, as in `--where kind=proxy` or `--where optimizer=muon`.
///
/// `id`, `kind`, `name`, `status`, `tag` and `seed` test the run's own fields; any other key
/// names a config leaf (in full, or by a unique suffix such as `lr`). Numbers compare by value,
/// so `lr=1e-3` matches `0.001`.
public struct RunPredicate: Hashable, Sendable, CustomStringConvertible {
    /// The field or config key.
    public let key: String
    /// The value it must have.
    public let value: String

    /// The run fields a predicate can test besides config keys.
    public static let runFields: Set<String> = ["id", "kind", "name", "status", "tag", "seed"]

    /// Parses `key=value`.
    public init(parsing text: String) throws {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw FactoryError.invalidArgument(name: "--where", message: "'\(text)' is not of the form key=value")
        }
        key = String(text[..<equals])
        value = String(text[text.index(after: equals)...])
    }

    public var description: String { "\(key)=\(value)" }

    /// Whether `run` satisfies the condition.
    public func matches(_ run: RunRecord) throws -> Bool {
        switch key {
        case "id": return run.id == value
        case "kind": return run.kind == value
        case "name": return run.name == value
        case "status": return run.status.rawValue == value
        case "tag": return run.tags.contains(value)
        case "seed": return run.seed.map(String.init) == value
        default:
            guard let leaf = try run.config.leaf(named: key) else { return false }
            return Self.equal(leaf.value, value)
        }
    }

    private static func equal(_ stored: ConfigValue, _ text: String) -> Bool {
        if let number = stored.numericValue, let wanted = Double(text) { return number == wanted }
        return stored.plainText == text
    }
}
