import FactoryCore
import Foundation
import Lineage
import Training

/// AdamW against Muon: the same model, data, batch, schedule and seeds (a base run file), with
/// a small learning-rate sweep for each optimizer. Every run is an ordinary training run in the
/// lineage store whose config names `optimizer.name`, `optimizer.lr` and `train.seed`, tagged
/// `OptimizerExperiment.tag(name)`, so `factory ablate --metric eval/loss --factors
/// optimizer.name,optimizer.lr --where tag=…` answers questions about it later. The experiment
/// itself is recorded as a run of kind `experiment` that produces the report.
public struct OptimizerExperiment: Sendable {
    /// One training run of the experiment.
    public struct Trial: Sendable, Hashable {
        public var optimizer: String
        public var learningRate: Double
        public var seed: Int

        /// A trial.
        public init(optimizer: String, learningRate: Double, seed: Int) {
            self.optimizer = optimizer
            self.learningRate = learningRate
            self.seed = seed
        }

        /// `muon-lr0.003-seed1`: the run's name.
        public var name: String { "\(setting)-seed\(seed)" }

        /// `muon-lr0.003`: the output folder, shared by the seeds of one setting (they run one
        /// after another, and each final checkpoint is kept in the object store), so that their
        /// recorded configs differ only in `train.seed` and `factory ablate` groups them as
        /// replicates.
        public var setting: String { "\(optimizer)-lr\(learningRate)" }
    }

    /// The base run file (model, data, batch, schedule, steps, evaluation).
    public var baseRunFile: String
    /// The optimizers compared, in order.
    public var optimizers: [String]
    /// The learning rates tried for every optimizer; `nil`: the base file's lr × {0.5, 1, 2}.
    public var learningRates: [Double]?
    /// Seeds per (optimizer, lr): the base file's `train.seed` and the ones after it.
    public var seeds: Int
    /// A fixed target loss; `nil`: per seed, AdamW's final loss at its best lr.
    public var target: Double?
    /// Where the runs' folders go; `nil`: `<base train.output>/optimizers`.
    public var output: String?
    /// Threads per run; `nil`: the base file's, else all cores.
    public var threads: Int?

    /// An experiment over `baseRunFile`.
    public init(
        baseRunFile: String, optimizers: [String] = ["adamw", "muon"], learningRates: [Double]? = nil, seeds: Int = 3,
        target: Double? = nil, output: String? = nil, threads: Int? = nil
    ) {
        self.baseRunFile = baseRunFile
        self.optimizers = optimizers
        self.learningRates = learningRates
        self.seeds = seeds
        self.target = target
        self.output = output
        self.threads = threads
    }

    /// The tag every run of the experiment writing to `output` carries.
    public static func tag(output: String) -> String {
        "optimizer-experiment:" + URL(fileURLWithPath: output).lastPathComponent
    }

    /// Runs every trial in order (optimizer, then lr, then seed), then analyzes them. `log`
    /// receives a line per finished run.
    public func run(store: FactoryStore, log: (String) -> Void = { _ in }) throws -> OptimizerExperimentReport {
        let base = try TrainingRun.configValue(ofRunFile: baseRunFile)
        let baseRun = try ConfigLoader.decode(TrainingRunConfig.self, from: base, source: baseRunFile)
        try baseRun.validate(source: baseRunFile)
        try check(baseRun)
        let rates = learningRates ?? [0.5, 1, 2].map { $0 * baseRun.optimizer.lr }
        let folder = output ?? baseRun.train.output + "/optimizers"
        let firstSeed = baseRun.train.seed
        let trials = optimizers.flatMap { optimizer in
            rates.flatMap { rate in (firstSeed..<(firstSeed + seeds)).map { Trial(optimizer: optimizer, learningRate: rate, seed: $0) } }
        }
        let tag = Self.tag(output: folder)
        let record = try store.startRun(
            kind: "experiment", name: "optimizers", config: RunConfig(value: experimentConfig(base: base, rates: rates)),
            seed: firstSeed, tags: [tag])
        do {
            var observations = [OptimizerExperimentReport.Observation]()
            for (index, trial) in trials.enumerated() {
                let start = ProgressReporter.monotonicSeconds()
                let config = try Self.config(for: trial, base: base, output: folder + "/" + trial.setting)
                let id = try TrainingRun.execute(
                    config: config, source: baseRunFile, store: store, resume: false, threads: threads, progress: false, tags: [tag],
                    name: trial.name)
                let observation = try Self.observation(of: trial, runID: id, in: store.records)
                observations.append(observation)
                let seconds = ProgressReporter.monotonicSeconds() - start
                log(
                    "[\(index + 1)/\(trials.count)] \(trial.name): final eval/loss "
                        + String(format: "%.4f (%.0f s)", observation.finalLoss ?? .nan, seconds) + ", run \(id)")
            }
            let report = try OptimizerExperimentReport(observations: observations, fixedTarget: target)
            let text = report.renderText()
            let artifact = try store.addArtifact(bytes: Data(text.utf8), kind: "report", name: "optimizer-experiment.txt")
            try store.records.link(LineageEdge(runID: record.id, artifact: artifact.digest, direction: .output, role: "report"))
            try store.records.endRun(record.id, status: .finished, at: Date())
            return report
        } catch {
            try? store.records.endRun(record.id, status: .failed, at: Date())
            throw error
        }
    }

    /// The base file must evaluate, and name only known optimizers.
    private func check(_ run: TrainingRunConfig) throws {
        func fail(_ key: String, _ message: String) -> FactoryError {
            .config(file: baseRunFile, keyPath: key, line: nil, message: message)
        }
        guard run.data.validation != nil else {
            throw fail("data.validation", "the experiment compares validation losses; give validation shards")
        }
        guard run.train.evalEvery != nil else {
            throw fail("train.eval_every", "the experiment needs a validation loss series; set how often to evaluate")
        }
        if let unknown = optimizers.first(where: { !TrainingRunConfig.optimizerNames.contains($0) }) {
            throw FactoryError.invalidArgument(
                name: "optimizer", message: "unknown optimizer '\(unknown)' (known: \(TrainingRunConfig.optimizerNames.joined(separator: ", ")))")
        }
        guard seeds > 0, !optimizers.isEmpty, learningRates?.isEmpty != true else {
            throw FactoryError.invalidArgument(name: "optimizer experiment", message: "needs at least one optimizer, learning rate and seed")
        }
        if let bad = learningRates?.first(where: { !($0 > 0 && $0.isFinite) }) {
            throw FactoryError.invalidArgument(name: "--lrs", message: "every learning rate must be positive and finite, got \(bad)")
        }
        guard seeds <= 10_000, run.train.seed.addingReportingOverflow(seeds).overflow == false else {
            throw FactoryError.invalidArgument(
                name: "--seeds", message: "must be at most 10000 seeds from train.seed \(run.train.seed), got \(seeds)")
        }
        if let target, !target.isFinite { throw FactoryError.invalidArgument(name: "--target", message: "must be a finite loss, got \(target)") }
        if let threads, !(1...1024).contains(threads) {
            throw FactoryError.invalidArgument(name: "--threads", message: "must be in 1-1024, got \(threads)")
        }
    }

    /// The experiment's own record: the base config and the sweep.
    private func experimentConfig(base: ConfigValue, rates: [Double]) -> ConfigValue {
        var entries: [String: ConfigValue] = [
            "base": base, "optimizers": .array(optimizers.map { .string($0) }), "learning_rates": .array(rates.map { .float($0) }),
            "seeds": .integer(seeds),
        ]
        if let target { entries["target"] = .float(target) }
        return .table(entries)
    }

    /// The base configuration with the trial's optimizer, learning rate, seed and output folder
    /// (and without Muon's `momentum` for AdamW trials).
    public static func config(for trial: Trial, base: ConfigValue, output: String) throws -> ConfigValue {
        guard case .table(var root) = base, case .table(var optimizer)? = root["optimizer"], case .table(var train)? = root["train"] else {
            throw FactoryError.invalidArgument(name: "base run config", message: "needs [optimizer] and [train] tables")
        }
        optimizer["name"] = .string(trial.optimizer)
        optimizer["lr"] = .float(trial.learningRate)
        if trial.optimizer != "muon" { optimizer["momentum"] = nil }
        train["seed"] = .integer(trial.seed)
        train["output"] = .string(output)
        root["optimizer"] = .table(optimizer)
        root["train"] = .table(train)
        return .table(root)
    }

    /// A finished run's validation-loss series and optimizer share, read from the store.
    static func observation(of trial: Trial, runID: String, in store: any LineageStore) throws -> OptimizerExperimentReport.Observation {
        let losses = try store.metricSeries(run: runID, key: "eval/loss").map { (step: Int($0.step), value: $0.value) }
        let fractions = try store.metricSeries(run: runID, key: "train/optimizer_fraction").map(\.value)
        return OptimizerExperimentReport.Observation(
            trial: trial, runID: runID, evalLoss: losses,
            optimizerFraction: fractions.isEmpty ? nil : fractions.reduce(0, +) / Double(fractions.count))
    }
}
