/// The ability a task measures: AutoMixer fits one surrogate per capability.
public enum Capability: String, Sendable, Codable, CaseIterable, Comparable {
    case code
    case math
    case stem
    case commonSense = "common_sense"

    /// In the order of `allCases`.
    public static func < (lhs: Capability, rhs: Capability) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
