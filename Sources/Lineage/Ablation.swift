import FactoryCore
import FactoryNumerics

/// One run's contribution to an ablation: its configuration and the metric's final value.
public struct AblationObservation: Hashable, Sendable {
    /// The run.
    public var runID: String
    /// Its configuration.
    public var config: RunConfig
    /// The metric's value at the run's last step.
    public var value: Double

    /// An observation.
    public init(runID: String, config: RunConfig, value: Double) {
        self.runID = runID
        self.config = config
        self.value = value
    }
}

/// An ablation read off the experiment log: the final value of a metric regressed (ordinary
/// least squares, with an intercept) on config factors across the runs that match, with a
/// confidence interval for every effect; runs that differ only in seed are also summarized as
/// groups (mean ± standard deviation).
public struct Ablation: Hashable, Sendable {
    /// The metric key, e.g. `eval/loss`.
    public var metric: String
    /// The factors, in the order their columns appear.
    public var factors: [AblationFactor]
    /// Conditions every run must meet. Without a `status` condition only finished runs count.
    public var predicates: [RunPredicate]
    /// The confidence level of the intervals.
    public var confidenceLevel: Double

    /// An ablation.
    public init(metric: String, factors: [AblationFactor], predicates: [RunPredicate] = [], confidenceLevel: Double = 0.95) {
        self.metric = metric
        self.factors = factors
        self.predicates = predicates
        self.confidenceLevel = confidenceLevel
    }

    /// Gathers the matching runs from `store` and fits. Runs without the metric, with a NaN final
    /// value or without one of the factors are left out and listed in the report.
    public func run(on store: any LineageStore) throws -> AblationReport {
        let statusGiven = predicates.contains { $0.key == "status" }
        var observations = [AblationObservation]()
        var excluded = [AblationReport.Exclusion]()
        for run in try store.runs(RunQuery(status: statusGiven ? nil : .finished)) {
            guard try predicates.allSatisfy({ try $0.matches(run) }) else { continue }
            guard let point = try store.finalMetric(run: run.id, key: metric) else {
                excluded.append(.init(runID: run.id, reason: "no \(metric)"))
                continue
            }
            guard !point.value.isNaN else {
                excluded.append(.init(runID: run.id, reason: "\(metric) is NaN at step \(point.step)"))
                continue
            }
            if let missing = try factors.first(where: { try run.config.leaf(named: $0.name) == nil }) {
                excluded.append(.init(runID: run.id, reason: "no config key '\(missing.name)'"))
                continue
            }
            observations.append(AblationObservation(runID: run.id, config: run.config, value: point.value))
        }
        guard !observations.isEmpty else {
            let conditions = predicates.isEmpty ? "" : " with \(predicates.map(\.description).joined(separator: ", "))"
            throw FactoryError.invalidArgument(
                name: "ablation",
                message: "no \(statusGiven ? "" : "finished ")runs\(conditions) have \(metric) and every factor (\(excluded.count) left out)")
        }
        var report = try fit(observations)
        report.excluded = excluded
        return report
    }

    /// Fits the observations.
    ///
    /// - Throws: when no factors are named, a factor is missing from a run, takes one value
    ///   only, is collinear with the others, or there are no more runs than parameters.
    public func fit(_ observations: [AblationObservation]) throws -> AblationReport {
        guard !observations.isEmpty else {
            throw FactoryError.invalidArgument(name: "ablation", message: "no runs to fit")
        }
        guard !factors.isEmpty else {
            throw FactoryError.invalidArgument(name: "factors", message: "name at least one config factor")
        }
        var names = ["(intercept)"]
        var design = observations.map { _ in [1.0] }
        var factorPaths = [String]()
        var levelsByRun = observations.map { _ in [String]() }
        for factor in factors {
            var values = [ConfigValue]()
            var paths = Set<String>()
            for observation in observations {
                guard let leaf = try observation.config.leaf(named: factor.name) else {
                    throw FactoryError.invalidArgument(name: factor.name, message: "run \(observation.runID) has no such config key")
                }
                values.append(leaf.value)
                paths.insert(leaf.path)
            }
            factorPaths.append(paths.sorted().joined(separator: "|"))
            let columns = try factor.columns(for: values)
            names += columns.names
            for index in observations.indices {
                design[index] += columns.rows[index]
                levelsByRun[index].append(values[index].plainText)
            }
        }
        let fit = try OrdinaryLeastSquares(design: design, response: observations.map(\.value), columnNames: names)
        let effects = try names.indices.map { index in
            AblationReport.Effect(
                term: names[index], estimate: fit.coefficients[index], standardError: fit.standardErrors[index],
                interval: try fit.confidenceInterval(index, level: confidenceLevel))
        }
        return AblationReport(
            metric: metric, factorPaths: factorPaths, effects: effects, rSquared: fit.rSquared,
            observationCount: fit.observationCount, residualDegreesOfFreedom: fit.residualDegreesOfFreedom,
            confidenceLevel: confidenceLevel, groups: SeedGroup.groups(observations, levels: levelsByRun), excluded: [])
    }
}
