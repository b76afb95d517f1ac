import Execution
import FactoryCore
import FactoryNumerics
import Foundation

/// The AutoMixer loop: sample a swarm, train a proxy per mixture, fit the surrogate (measuring it
/// on held-out runs first), propose a mixture, and optionally train the proposal and the prior
/// with the proxy budget to check the gain.
public struct AutoMixer: Sendable {
    /// What a run of the loop found.
    public struct Report: Sendable {
        public let swarmSize: Int
        public let heldOutSpearman: Double?
        public let heldOutCount: Int
        public let surrogate: Surrogate
        public let proposal: MixtureProposer.Proposal
        public let prior: Mixture
        /// `target` measured on check runs: (proposed, prior).
        public let check: (proposed: Double, prior: Double)?
    }

    public let config: AutoMixerConfig
    public let factory: String
    public let store: String

    public init(config: AutoMixerConfig, factory: String, store: String) {
        self.config = config
        self.factory = factory
        self.store = store
    }

    /// The swarm sampler the config describes.
    public func swarmSampler() throws -> SwarmSampler {
        let facts = try ProxyRunFacts(runFile: config.base)
        var settings = SwarmSampler.Settings()
        guard let seed = UInt64(exactly: config.swarm.seed ?? 0) else {
            throw FactoryError.invalidArgument(name: "swarm.seed", message: "must not be negative, got \(config.swarm.seed ?? 0)")
        }
        settings.seed = seed
        settings.temperature = config.swarm.temperature ?? settings.temperature
        settings.maximumEpochs = config.swarm.maxEpochs ?? settings.maximumEpochs
        settings.minimumWeight = config.swarm.minWeight ?? settings.minimumWeight
        return try SwarmSampler(availableTokens: facts.availableTokens, budgetTokens: facts.budgetTokens, settings: settings)
    }

    /// The swarm's results: the mixtures and the metrics of their proxy runs.
    public struct SwarmResults: Sendable {
        /// The sampled mixtures, in run order (run `i` trained on `mixtures[i - 1]`).
        public let mixtures: [Mixture]
        /// The runs' metrics (index: run number).
        public let metrics: NumericTable
        /// The domains, sorted.
        public let domains: [String]
        /// The metrics file, for messages.
        public let source: String
    }

    /// Runs the whole loop (resuming a sweep that was interrupted).
    public func run() throws -> Report {
        try propose(from: runSwarm())
    }

    /// Samples the swarm and trains one proxy per mixture in `directory/swarm`, resuming the
    /// runs an interrupted sweep left unfinished.
    public func runSwarm() throws -> SwarmResults {
        let mixtures = try swarmSampler().sample(count: config.swarm.count)
        let sweep = ProxySweep(
            directory: config.directory + "/swarm", baseRunFile: config.base, mixtures: mixtures, factory: factory,
            store: store, threadsPerRun: config.sweep?.threads ?? 1)
        try sweep.prepare()
        let progress = ProgressReporter(label: "proxy runs", total: sweep.pendingRuns().count, unit: "runs")
        try sweep.run(executor: executor, progress: progress)
        progress.finish()
        return SwarmResults(mixtures: mixtures, metrics: try sweep.collect(), domains: sweep.domains, source: config.directory + "/swarm/metrics.csv")
    }

    /// The results of a finished sweep in `folder` (another run's `swarm/`, read, never written),
    /// after checking that it trained exactly the mixtures this config samples.
    public func finishedSwarm(in folder: String) throws -> SwarmResults {
        let mixtures = try swarmSampler().sample(count: config.swarm.count)
        let domains = Array(Set(mixtures.flatMap(\.domains))).sorted()
        let recorded = try NumericTable.read(path: folder + "/mixtures.csv")
        guard recorded.rows == mixtures.map({ $0.vector(over: recorded.columns) }), recorded.columns == domains else {
            throw FactoryError.invalidArgument(
                name: folder + "/mixtures.csv", message: "this sweep trained other mixtures than the [swarm] settings of \(config.directory) sample")
        }
        let metrics = try NumericTable.read(path: folder + "/metrics.csv")
        guard metrics.rows.count == mixtures.count else {
            throw FactoryError.invalidArgument(
                name: folder + "/metrics.csv", message: "has \(metrics.rows.count) runs of \(mixtures.count): the sweep is not finished")
        }
        return SwarmResults(mixtures: mixtures, metrics: metrics, domains: domains, source: folder + "/metrics.csv")
    }

    /// Fits the surrogate to a swarm's results (measuring it on held-out runs first), proposes
    /// a mixture, and optionally trains the proposal and the prior with the proxy budget.
    public func propose(from swarm: SwarmResults) throws -> Report {
        let sampler = try swarmSampler()
        let metrics = swarm.metrics
        let y = try metrics.column(config.target, source: swarm.source)
        let x = metrics.index.map { swarm.mixtures[Int($0)! - 1].vector(over: swarm.domains) }
        let kinds = config.propose?.surrogateKinds ?? SurrogateKind.allCases
        // Hold out the last share of the swarm: fit on the rest, rank the held-out runs.
        let holdoutCount = Int((Double(x.count) * (config.sweep?.holdout ?? 0.25)).rounded())
        var heldOutSpearman: Double?
        var heldOutPredictions = [Double?](repeating: nil, count: x.count)
        if holdoutCount >= 3, x.count - holdoutCount >= 5 {
            let split = x.count - holdoutCount
            let partial = try Surrogate.fit(
                target: config.target, domains: swarm.domains, x: Array(x[..<split]), y: Array(y[..<split]), kinds: kinds,
                folds: min(5, split))
            for row in split..<x.count { heldOutPredictions[row] = partial.predict(x[row]).prediction }
            heldOutSpearman = RankCorrelation.spearman(heldOutPredictions[split...].map { $0! }, Array(y[split...]))
        }
        let surrogate = try Surrogate.fit(
            target: config.target, domains: swarm.domains, x: x, y: y, kinds: kinds, folds: min(5, x.count))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(try encoder.encode(surrogate), toPath: config.directory + "/surrogate.json")
        try writePredictions(
            index: metrics.index, actual: y, outOfFold: surrogate.outOfFoldPredictions(x), heldOut: heldOutPredictions)
        let prior = sampler.prior
        let proposal = try MixtureProposer(
            terms: [.init(surrogate: surrogate, weight: 1)], prior: prior, caps: sampler.caps, klWeight: config.propose?.kl ?? 0
        ).propose()
        try AtomicFile.write(Data(proposal.mixture.tomlText.utf8), toPath: config.directory + "/proposed.toml")
        try AtomicFile.write(Data(prior.tomlText.utf8), toPath: config.directory + "/prior.toml")
        var check: (Double, Double)?
        if config.propose?.check ?? true {
            let checkSweep = ProxySweep(
                directory: config.directory + "/check", baseRunFile: config.base, mixtures: [proposal.mixture, prior],
                factory: factory, store: store, threadsPerRun: config.sweep?.threads ?? 1)
            try checkSweep.run(executor: executor)
            let results = try checkSweep.collect()
            let values = try results.column(config.target, source: config.directory + "/check/metrics.csv")
            check = (values[0], values[1])
        }
        return Report(
            swarmSize: x.count, heldOutSpearman: heldOutSpearman, heldOutCount: holdoutCount, surrogate: surrogate,
            proposal: proposal, prior: prior, check: check)
    }

    /// `predictions.csv`: each swarm run's measured target, its out-of-fold prediction by the
    /// chosen surrogate and, for the held-out runs, the prediction of the surrogate fitted
    /// without them (empty for the others).
    private func writePredictions(index: [String], actual: [Double], outOfFold: [Double], heldOut: [Double?]) throws {
        var text = "index,actual,out_of_fold,held_out\n"
        for row in index.indices {
            text += "\(index[row]),\(actual[row]),\(outOfFold[row]),\(heldOut[row].map { String($0) } ?? "")\n"
        }
        try AtomicFile.write(Data(text.utf8), toPath: config.directory + "/" + Self.predictionsFile)
    }

    /// The file of measured and predicted targets of the swarm runs, in the mixer's folder.
    public static let predictionsFile = "predictions.csv"

    private var executor: LocalExecutor { LocalExecutor(workers: config.sweep?.workers ?? HostInfo.activeCores) }
}
