import FactoryCore
import Foundation

/// The result of an ablation: effects with confidence intervals, fit quality, seed groups.
public struct AblationReport: Hashable, Sendable {
    /// One regression term.
    public struct Effect: Hashable, Sendable {
        /// `(intercept)`, a numeric factor `lr`, `log10(lr)`, or a level `optimizer=muon`
        /// (the effect of that level against the factor's first level).
        public var term: String
        /// The estimated coefficient.
        public var estimate: Double
        /// Its standard error.
        public var standardError: Double
        /// Its confidence interval at the report's level.
        public var interval: ClosedRange<Double>
    }

    /// A run left out, and why.
    public struct Exclusion: Hashable, Sendable {
        /// The run.
        public var runID: String
        /// Why it was left out.
        public var reason: String
    }

    /// The metric regressed.
    public var metric: String
    /// The full config key of each factor (joined by `|` if runs differ in where it lives).
    public var factorPaths: [String]
    /// The intercept first, then each factor's terms.
    public var effects: [Effect]
    /// Coefficient of determination.
    public var rSquared: Double
    /// Runs in the fit.
    public var observationCount: Int
    /// Runs minus parameters.
    public var residualDegreesOfFreedom: Int
    /// The level of the intervals (0.95).
    public var confidenceLevel: Double
    /// Replicate groups, by factor levels.
    public var groups: [SeedGroup]
    /// Matching runs that could not be used.
    public var excluded: [Exclusion]

    /// The report as text for a terminal.
    public func renderText() -> String {
        let percent = Self.number(confidenceLevel * 100)
        var lines = [
            "ablation of \(metric) (final value) on \(factorPaths.joined(separator: ", "))",
            "n = \(observationCount) runs, \(effects.count) parameters, \(residualDegreesOfFreedom) residual degrees of freedom, "
                + "R² = \(rSquared.isNaN ? "n/a" : String(format: "%.4f", rSquared))",
            "",
        ]
        lines += TextTable.render(
            header: ["term", "effect", "std. error", "\(percent)% CI"],
            rows: effects.map {
                [
                    $0.term, Self.number($0.estimate), Self.number($0.standardError),
                    "[\(Self.number($0.interval.lowerBound)), \(Self.number($0.interval.upperBound))]",
                ]
            })
        lines += ["", "runs grouped by config without seed (mean ± std):"]
        lines += TextTable.render(
            header: factorPaths + ["n", metric],
            rows: groups.map { group in
                group.levels + [
                    "\(group.runIDs.count)",
                    Self.number(group.mean) + " ± " + (group.standardDeviation.map(Self.number) ?? "—"),
                ]
            })
        if !excluded.isEmpty {
            lines += ["", "left out (\(excluded.count) runs):"]
            lines += excluded.map { "  \($0.runID): \($0.reason)" }
        }
        return lines.joined(separator: "\n")
    }

    /// Six significant digits.
    static func number(_ value: Double) -> String { String(format: "%.6g", value) }
}
