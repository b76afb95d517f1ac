import FactoryCore
import Foundation

/// What the optimizer experiment found, computed from each run's validation-loss series:
///
/// - per optimizer and learning rate, the final `eval/loss` (mean ± std over seeds);
/// - per optimizer, the best learning rate (lowest mean final loss);
/// - per optimizer at its best learning rate, the steps needed to reach the target loss: by
///   default, per seed, the final loss of AdamW at its best learning rate with that seed (a
///   paired comparison), or one fixed target for every run. The step is interpolated linearly
///   between the two evaluations that bracket the target; a run that never reaches it counts as
///   not reached;
/// - the ratio of each optimizer's steps to AdamW's, per seed, and its mean ± std;
/// - the optimizer's share of step time (`train/optimizer_fraction`, averaged over the run).
public struct OptimizerExperimentReport: Sendable {
    /// One run's measurements.
    public struct Observation: Sendable {
        public var trial: OptimizerExperiment.Trial
        public var runID: String
        /// `eval/loss` by step, in step order.
        public var evalLoss: [(step: Int, value: Double)]
        /// The mean of `train/optimizer_fraction` over the run, when logged.
        public var optimizerFraction: Double?

        /// An observation.
        public init(trial: OptimizerExperiment.Trial, runID: String, evalLoss: [(step: Int, value: Double)], optimizerFraction: Double?) {
            self.trial = trial
            self.runID = runID
            self.evalLoss = evalLoss
            self.optimizerFraction = optimizerFraction
        }

        /// The last `eval/loss`.
        public var finalLoss: Double? { evalLoss.last?.value }
    }

    /// Mean, sample standard deviation and count of some values.
    public struct Summary: Sendable, Equatable {
        public var mean: Double
        /// The sample standard deviation (n − 1); 0 for a single value.
        public var standardDeviation: Double
        public var count: Int

        /// The summary of `values`; `nil` when there are none.
        public init?(_ values: [Double]) {
            guard !values.isEmpty else { return nil }
            let mean = values.reduce(0, +) / Double(values.count)
            let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            self.mean = mean
            count = values.count
            standardDeviation = values.count > 1 ? (squares / Double(values.count - 1)).squareRoot() : 0
        }

        /// `mean ± std` with `digits` decimals.
        public func formatted(_ digits: Int) -> String {
            String(format: "%.\(digits)f ± %.\(digits)f", mean, standardDeviation)
        }
    }

    /// The final loss of one optimizer at one learning rate.
    public struct SweepPoint: Sendable, Equatable {
        public var optimizer: String
        public var learningRate: Double
        public var finalLoss: Summary
    }

    /// One optimizer at its best learning rate.
    public struct Result: Sendable, Equatable {
        public var optimizer: String
        public var bestLearningRate: Double
        public var finalLoss: Summary
        /// Steps to the target over the seeds that reached it.
        public var stepsToTarget: Summary?
        /// Seeds that reached the target, and seeds run.
        public var reached: Int
        public var seeds: Int
        /// Per seed, this optimizer's steps divided by AdamW's (seeds where both reached the target).
        public var ratioToAdamW: Summary?
        /// The optimizer's mean share of step time.
        public var optimizerFraction: Summary?
    }

    /// Every optimizer and learning rate, in the order run.
    public let sweep: [SweepPoint]
    /// One result per optimizer, in the order run.
    public let results: [Result]
    /// The target: per seed from AdamW, or fixed.
    public let targetDescription: String

    /// Analyzes the runs; `fixedTarget` replaces AdamW's per-seed final loss as the target.
    ///
    /// - Throws: when a run has no `eval/loss`, or the default target is asked for without AdamW runs.
    public init(observations: [Observation], fixedTarget: Double?) throws {
        for observation in observations where observation.finalLoss == nil {
            throw FactoryError.invalidArgument(
                name: "optimizer experiment", message: "run \(observation.runID) (\(observation.trial.name)) recorded no eval/loss")
        }
        let optimizers = observations.map(\.trial.optimizer).uniqued()
        var sweep = [SweepPoint]()
        var best = [String: Double]()
        for optimizer in optimizers {
            let rates = observations.filter { $0.trial.optimizer == optimizer }.map(\.trial.learningRate).uniqued()
            for rate in rates {
                let finals = observations.filter { $0.trial.optimizer == optimizer && $0.trial.learningRate == rate }.compactMap(\.finalLoss)
                sweep.append(SweepPoint(optimizer: optimizer, learningRate: rate, finalLoss: Summary(finals)!))
            }
            best[optimizer] = sweep.filter { $0.optimizer == optimizer }.min { $0.finalLoss.mean < $1.finalLoss.mean }!.learningRate
        }
        func bestRuns(_ optimizer: String) -> [Int: Observation] {
            Dictionary(
                uniqueKeysWithValues:
                    observations
                    .filter { $0.trial.optimizer == optimizer && $0.trial.learningRate == best[optimizer] }
                    .map { ($0.trial.seed, $0) })
        }
        let adamW = bestRuns("adamw")
        func target(seed: Int) -> Double? { fixedTarget ?? adamW[seed]?.finalLoss }
        if fixedTarget == nil, adamW.isEmpty {
            throw FactoryError.invalidArgument(
                name: "optimizer experiment", message: "the default target is AdamW's final loss; run adamw too or give a target")
        }
        let adamWSteps = adamW.compactMapValues { run in target(seed: run.trial.seed).flatMap { Self.steps(toReach: $0, in: run.evalLoss) } }
        results = optimizers.map { optimizer in
            let runs = bestRuns(optimizer)
            var steps = [Int: Double]()
            for (seed, run) in runs {
                if let goal = target(seed: seed), let reached = Self.steps(toReach: goal, in: run.evalLoss) { steps[seed] = reached }
            }
            let ratios = steps.keys.sorted().compactMap { seed in adamWSteps[seed].map { steps[seed]! / $0 } }
            return Result(
                optimizer: optimizer, bestLearningRate: best[optimizer]!,
                finalLoss: Summary(runs.values.compactMap(\.finalLoss))!,
                stepsToTarget: Summary(steps.keys.sorted().map { steps[$0]! }), reached: steps.count, seeds: runs.count,
                ratioToAdamW: Summary(ratios), optimizerFraction: Summary(runs.keys.sorted().compactMap { runs[$0]!.optimizerFraction }))
        }
        self.sweep = sweep
        targetDescription =
            fixedTarget.map { "eval/loss ≤ \($0) for every run" }
            ?? "eval/loss ≤ AdamW's final eval/loss at its best lr (\(best["adamw"]!)) with the same seed"
    }

    /// The first step at which `series` reaches `target`, interpolated linearly between the
    /// evaluation before and the one at or below it; `nil` when it never does.
    public static func steps(toReach target: Double, in series: [(step: Int, value: Double)]) -> Double? {
        var previous: (step: Int, value: Double)?
        for point in series {
            if point.value <= target {
                guard let before = previous, before.value > point.value else { return Double(point.step) }
                return Double(before.step) + (before.value - target) / (before.value - point.value) * Double(point.step - before.step)
            }
            previous = point
        }
        return nil
    }

    /// The sweep table, the target and the result table.
    public func renderText() -> String {
        var lines = ["learning-rate sweep (final eval/loss, mean ± std over seeds):"]
        lines += TextTable.render(
            header: ["optimizer", "lr", "final eval/loss", "seeds"],
            rows: sweep.map { [$0.optimizer, "\($0.learningRate)", $0.finalLoss.formatted(4), "\($0.finalLoss.count)"] })
        lines += ["", "target: \(targetDescription)"]
        lines += TextTable.render(
            header: ["optimizer", "best lr", "final eval/loss", "steps to target", "reached", "steps / AdamW's", "optimizer share of step time"],
            rows: results.map { result in
                [
                    result.optimizer, "\(result.bestLearningRate)", result.finalLoss.formatted(4),
                    result.stepsToTarget?.formatted(1) ?? "never", "\(result.reached)/\(result.seeds)",
                    result.ratioToAdamW?.formatted(3) ?? "n/a",
                    result.optimizerFraction.map { String(format: "%.1f%% ± %.1f%%", 100 * $0.mean, 100 * $0.standardDeviation) } ?? "n/a",
                ]
            })
        return lines.joined(separator: "\n")
    }
}

extension Array where Element: Hashable {
    /// The elements in first-seen order, without repeats.
    fileprivate func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
