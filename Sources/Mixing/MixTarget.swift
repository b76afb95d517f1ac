import FactoryCore
import Foundation

/// Whether a target metric is better low (a loss) or high (a capability score).
public enum TargetGoal: String, Codable, Sendable, CaseIterable {
    case minimize
    case maximize

    /// The goal a metric's name implies: its last path component `loss`, `bpb` or
    /// `bits_per_byte` is minimized; `score`, `acc`, `acc_norm`, `exact_match` and `pass@K` are
    /// maximized; any other name has none (the config must say).
    public static func implied(by metric: String) -> TargetGoal? {
        let last = metric.split(separator: "/").last.map(String.init) ?? metric
        if ["loss", "bpb", "bits_per_byte"].contains(last) { return .minimize }
        if ["score", "acc", "acc_norm", "exact_match"].contains(last) || last.hasPrefix("pass@") { return .maximize }
        return nil
    }

    /// +1 when minimized, −1 when maximized: the sign that turns the metric into a cost.
    public var costSign: Double { self == .minimize ? 1 : -1 }
}

/// One entry of mix.toml's `[targets]` table: `[targets."eval/math/score"]` with `weight`,
/// optional `goal` and optional `margin` (the floor).
///
/// ```toml
/// [targets."eval/loss"]
/// weight = 1.0
/// [targets."eval/math/score"]
/// weight = 2.0
/// margin = 0.02   # the proposal's predicted math score stays ≥ the prior's prediction − 0.02
/// ```
public struct MixTarget: Codable, Sendable, Equatable {
    /// The target's share of the objective (finite, ≥ 0; default 1). 0 with a `margin`: a floor only.
    public var weight: Double?
    /// `minimize` or `maximize`; default: implied by the metric's name (``TargetGoal/implied(by:)``).
    public var goal: TargetGoal?
    /// The floor: the proposal may be predicted worse than the prior's prediction by at most this
    /// much, in the metric's units (≥ 0). Absent: no floor.
    public var margin: Double?

    public init(weight: Double? = nil, goal: TargetGoal? = nil, margin: Double? = nil) {
        self.weight = weight
        self.goal = goal
        self.margin = margin
    }

    /// Checks the ranges for `metric`; `fail(key, message)` makes the error for a key of this entry.
    public func validate(metric: String, fail: (String, String) -> FactoryError) throws {
        if let weight, !(weight >= 0 && weight.isFinite) { throw fail("weight", "must be a finite number ≥ 0, got \(weight)") }
        if let margin, !(margin >= 0 && margin.isFinite) { throw fail("margin", "must be a finite number ≥ 0, got \(margin)") }
        if weight == 0, margin == nil {
            throw fail("weight", "0 leaves the target out of the objective; give it a `margin` (a floor only) or remove it")
        }
        if goal == nil, TargetGoal.implied(by: metric) == nil {
            throw fail("goal", "say `goal = \"minimize\"` or `\"maximize\"`: the name '\(metric)' does not imply one")
        }
    }
}

/// A target as the proposer uses it: the metric, its goal, weight and floor margin.
public struct ResolvedTarget: Sendable, Equatable {
    public let metric: String
    public let goal: TargetGoal
    public let weight: Double
    public let margin: Double?

    public init(metric: String, goal: TargetGoal, weight: Double, margin: Double?) {
        self.metric = metric
        self.goal = goal
        self.weight = weight
        self.margin = margin
    }

    /// Resolves a validated `[targets]` entry.
    public init(metric: String, entry: MixTarget) {
        self.init(
            metric: metric, goal: entry.goal ?? TargetGoal.implied(by: metric) ?? .minimize, weight: entry.weight ?? 1,
            margin: entry.margin)
    }
}
