/// What a task file's documents ask of the model, and so how they are scored.
public enum TaskKind: String, Sendable, Codable, CaseIterable {
    /// Pick one of several continuations, by log-likelihood (`acc`, `acc_norm`, `acc_bytes`).
    case multipleChoice = "multiple_choice"
    /// Generate greedily until a stop string; the normalized text must equal the answer
    /// (`exact_match`).
    case exactMatch = "exact_match"
    /// Complete a Python program; samples run against the task's test (`pass@k`).
    case code

    /// The metrics this kind of task reports, the primary one of a file among them.
    /// `pass@k` is reported for every k the settings ask for; any `pass@N` is a valid primary
    /// metric of a code task.
    public func allows(metric: String) -> Bool {
        switch self {
        case .multipleChoice: return ["acc", "acc_norm", "acc_bytes"].contains(metric)
        case .exactMatch: return metric == "exact_match"
        case .code: return Self.passAtK(metric) != nil
        }
    }

    /// The k of a `pass@k` metric name (k ≥ 1), or `nil` when `metric` is not one.
    public static func passAtK(_ metric: String) -> Int? {
        guard metric.hasPrefix("pass@"), let k = Int(metric.dropFirst(5)), k >= 1, "pass@\(k)" == metric else { return nil }
        return k
    }
}
