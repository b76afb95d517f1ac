import FactoryCore

/// `[[filters]]`: a heuristic filter rule: documents (of the listed domains) whose signal is
/// below `min` or above `max` are removed.
///
/// ```toml
/// [[filters]]
/// signal = "word_count"
/// min = 50
/// domains = ["prose"]
/// ```
public struct QualityFilter: Decodable, Equatable, Sendable {
    /// The ``QualitySignal`` name.
    public var signal: String
    /// The least value kept, if any.
    public var min: Double?
    /// The greatest value kept, if any.
    public var max: Double?
    /// The domains the rule applies to (default: all).
    public var domains: [String]?

    /// A rule in code.
    public init(signal: QualitySignal, min: Double? = nil, max: Double? = nil, domains: [String]? = nil) {
        self.signal = signal.rawValue
        self.min = min
        self.max = max
        self.domains = domains
    }

    /// The rule as text: `word_count >= 50`, `markup_fraction <= 0.1 (prose, stem)`.
    public var name: String {
        var bounds = [String]()
        if let min { bounds.append("\(signal) >= \(Self.format(min))") }
        if let max { bounds.append("\(signal) <= \(Self.format(max))") }
        let scope = domains.map { " (\($0.joined(separator: ", ")))" } ?? ""
        return bounds.joined(separator: " and ") + scope
    }

    /// Whether the rule applies to documents of `domain`.
    public func applies(to domain: String) -> Bool {
        domains?.contains(domain) ?? true
    }

    /// Whether `values` pass (the signal is within the bounds).
    public func passes(_ values: QualitySignalValues) -> Bool {
        guard let resolved = QualitySignal(name: signal) else { return true }
        let value = values[resolved]
        if let min, value < min { return false }
        if let max, value > max { return false }
        return true
    }

    /// Checks the rule; `fail` turns a key and a message into the error to throw.
    public func validate(fail: (String, String) -> FactoryError) throws {
        guard QualitySignal(name: signal) != nil else {
            throw fail("signal", "unknown signal '\(signal)' (known: \(QualitySignal.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard min != nil || max != nil else { throw fail("min", "give 'min', 'max' or both") }
        if let min, let max, min > max { throw fail("max", "must not be below min (\(Self.format(min))), found \(Self.format(max))") }
        if let domains, domains.isEmpty { throw fail("domains", "list at least one domain (or remove the key for all)") }
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
