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
        /// The first target's surrogate.
        public let surrogate: Surrogate
        /// Every fitted surrogate: the targets' in order, then the other reported metrics'.
        public let surrogates: [Surrogate]
        public let targets: [ResolvedTarget]
        /// Why these targets (mix.toml's, the signal measurement's usable capabilities, or the default).
        public let targetChoice: String
        /// Predicted and measured, per fitted metric (`targets.csv`).
        public let outcomes: [TargetOutcome]
        public let proposal: MixtureProposer.Proposal
        public let prior: Mixture
        /// The first target measured on check runs: (proposed, prior).
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
        /// The signal measurement next to the sweep folder (``SignalTable/fileName``), if one was made.
        public let signal: SignalTable?
    }

    /// Runs the whole loop (resuming a sweep that was interrupted).
    public func run() throws -> Report {
        try propose(from: runSwarm())
    }

    /// Samples the swarm and trains one proxy per mixture in `directory/swarm` (each scored on
    /// the capability suites when `[capabilities]` names them), resuming the runs an interrupted
    /// sweep left unfinished; with `[signal]`, then measures signal against noise
    /// (``runSignal(swarm:)``) into `directory/signal.csv`.
    public func runSwarm() throws -> SwarmResults {
        let mixtures = try swarmSampler().sample(count: config.swarm.count)
        let sweep = ProxySweep(
            directory: config.directory + "/swarm", baseRunFile: config.base, mixtures: mixtures, factory: factory,
            store: store, threadsPerRun: config.sweep?.threads ?? 1, capabilities: config.capabilities)
        try sweep.prepare()
        let progress = ProgressReporter(label: "proxy runs", total: sweep.pendingRuns().count, unit: "runs")
        try sweep.run(executor: executor, progress: progress)
        progress.finish()
        let results = SwarmResults(
            mixtures: mixtures, metrics: try sweep.collect(), domains: sweep.domains, source: config.directory + "/swarm/metrics.csv",
            signal: nil)
        guard config.signal != nil else { return results }
        return SwarmResults(
            mixtures: results.mixtures, metrics: results.metrics, domains: results.domains, source: results.source,
            signal: try runSignal(swarm: results))
    }

    /// Measures signal against noise (``SignalTable``): the first `signal.mixtures` mixtures of the
    /// swarm against `signal.seeds` seeds of its first mixture (`train.seed` + 1, + 2, …), each
    /// proxy scored as the swarm's are. With `swarm` (a finished swarm of this config) only the
    /// extra seeds are trained, in `directory/signal`; without, the mixtures are trained there
    /// too. Writes `directory/signal.csv`.
    public func runSignal(swarm: SwarmResults? = nil) throws -> SignalTable {
        let settings = config.signal ?? AutoMixerConfig.Signal(mixtures: nil, seeds: nil, minSNR: nil)
        let count = settings.mixtures ?? AutoMixerConfig.Signal.defaultMixtures
        let seeds = settings.seeds ?? AutoMixerConfig.Signal.defaultSeeds
        let baseSeed = try ProxyRunFacts(runFile: config.base).seed
        let mixtures = Array(try swarmSampler().sample(count: max(config.swarm.count, count)).prefix(count))
        let replicas = (1..<seeds).map { baseSeed + $0 }
        let trained = swarm == nil ? mixtures : []
        let sweep = ProxySweep(
            directory: config.directory + "/signal", baseRunFile: config.base,
            mixtures: trained + replicas.map { _ in mixtures[0] }, factory: factory, store: store,
            threadsPerRun: config.sweep?.threads ?? 1, capabilities: config.capabilities,
            seeds: trained.map { _ in baseSeed } + replicas)
        try sweep.prepare()
        let progress = ProgressReporter(label: "signal runs", total: sweep.pendingRuns().count, unit: "runs")
        try sweep.run(executor: executor, progress: progress)
        progress.finish()
        let runs = try sweep.collect()
        let mixtureRuns =
            try swarm.map { try $0.metrics.selecting((1...count).map(String.init), source: $0.source) }
            ?? runs.selecting((1...count).map(String.init), source: config.directory + "/signal/metrics.csv")
        let firstRun = swarm?.metrics ?? runs
        let seedRuns = try NumericTable.stacking(
            [(table: firstRun, label: "1")] + (0..<replicas.count).map { (table: runs, label: String(trained.count + $0 + 1)) },
            source: config.directory + "/signal")
        let table = try SignalTable.measure(
            mixtureRuns: mixtureRuns, seedRuns: seedRuns, minSNR: settings.minSNR ?? AutoMixerConfig.Signal.defaultMinSNR,
            source: config.directory + "/" + SignalTable.fileName)
        try table.write(toPath: config.directory + "/" + SignalTable.fileName)
        return table
    }

    /// The results of a finished sweep in `folder` (another run's `swarm/`, read, never written),
    /// after checking that it trained exactly the mixtures this config samples, with the signal
    /// measurement beside it (``SignalTable/fileName`` in the folder above) when there is one.
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
        let signalPath = URL(fileURLWithPath: folder).deletingLastPathComponent().path + "/" + SignalTable.fileName
        let signal = FileManager.default.fileExists(atPath: signalPath) ? try SignalTable.read(path: signalPath) : nil
        return SwarmResults(mixtures: mixtures, metrics: metrics, domains: domains, source: folder + "/metrics.csv", signal: signal)
    }

    /// Fits a surrogate per metric to a swarm's results (`eval/loss`, every capability score and
    /// every target; the first target's measured on held-out runs first), proposes a mixture that
    /// minimizes the weighted objective under the floors, and optionally trains the proposal and
    /// the prior with the proxy budget.
    /// The objective and the floors are ``MixObjective``'s, plus the KL penalty toward the prior.
    public func propose(from swarm: SwarmResults) throws -> Report {
        let sampler = try swarmSampler()
        let metrics = swarm.metrics
        let (targets, targetChoice) = try chooseTargets(metrics: metrics, signal: swarm.signal, source: swarm.source)
        let x = metrics.index.map { swarm.mixtures[Int($0)! - 1].vector(over: swarm.domains) }
        let kinds = config.propose?.surrogateKinds ?? SurrogateKind.allCases
        let primary = targets[0]
        let y = try metrics.column(primary.metric, source: swarm.source)
        // Hold out the last share of the swarm: fit on the rest, rank the held-out runs.
        let holdoutCount = Int((Double(x.count) * (config.sweep?.holdout ?? 0.25)).rounded())
        var heldOutSpearman: Double?
        var heldOutPredictions = [Double?](repeating: nil, count: x.count)
        if holdoutCount >= 3, x.count - holdoutCount >= 5 {
            let split = x.count - holdoutCount
            let partial = try Surrogate.fit(
                target: primary.metric, domains: swarm.domains, x: Array(x[..<split]), y: Array(y[..<split]), kinds: kinds,
                folds: min(5, split))
            for row in split..<x.count { heldOutPredictions[row] = partial.predict(x[row]).prediction }
            heldOutSpearman = RankCorrelation.spearman(heldOutPredictions[split...].map { $0! }, Array(y[split...]))
        }
        let reported = ["eval/loss"] + CapabilityMetrics.capabilities(in: metrics.columns).map(CapabilityMetrics.scoreColumn)
        let objective = try MixObjective.fit(
            targets: targets, reported: reported, metrics: metrics, x: x, domains: swarm.domains, kinds: kinds, source: swarm.source)
        let fitted = objective.fitted
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(try encoder.encode(fitted[0].surrogate), toPath: config.directory + "/surrogate.json")
        try AtomicFile.write(try encoder.encode(fitted.map(\.surrogate)), toPath: config.directory + "/" + Self.surrogatesFile)
        try writePredictions(
            index: metrics.index, actual: y, outOfFold: fitted[0].surrogate.outOfFoldPredictions(x), heldOut: heldOutPredictions)
        let prior = sampler.prior
        let proposer = try objective.proposer(prior: prior, caps: sampler.caps, klWeight: config.propose?.kl ?? 0)
        let proposal = try proposer.propose()
        try AtomicFile.write(Data(proposal.mixture.tomlText.utf8), toPath: config.directory + "/proposed.toml")
        try AtomicFile.write(Data(prior.tomlText.utf8), toPath: config.directory + "/prior.toml")
        var measured: NumericTable?
        if config.propose?.check ?? true {
            let checkSweep = ProxySweep(
                directory: config.directory + "/check", baseRunFile: config.base, mixtures: [proposal.mixture, prior],
                factory: factory, store: store, threadsPerRun: config.sweep?.threads ?? 1, capabilities: config.capabilities)
            try checkSweep.run(executor: executor)
            measured = try checkSweep.collect()
        }
        let outcomes = objective.outcomes(proposal: proposal.mixture, prior: prior, floors: proposer.floors, measured: measured)
        try AtomicFile.write(Data(TargetOutcome.csvText(outcomes).utf8), toPath: config.directory + "/" + TargetOutcome.fileName)
        let check = outcomes[0].measuredProposal.flatMap { proposed in outcomes[0].measuredPrior.map { (proposed, $0) } }
        return Report(
            swarmSize: x.count, heldOutSpearman: heldOutSpearman, heldOutCount: holdoutCount, surrogate: fitted[0].surrogate,
            surrogates: fitted.map(\.surrogate), targets: targets, targetChoice: targetChoice, outcomes: outcomes, proposal: proposal,
            prior: prior, check: check)
    }

    /// The targets: mix.toml's `target` or `[targets]`; else the capabilities the signal
    /// measurement found usable, each with weight 1 and a floor of `propose.margin`; else `eval/loss`.
    /// Also says why, for the report.
    func chooseTargets(metrics: NumericTable, signal: SignalTable?, source: String) throws -> ([ResolvedTarget], String) {
        if let explicit = config.explicitTargets {
            for target in explicit { _ = try metrics.column(target.metric, source: source) }
            return (explicit, "the targets of \(config.directory)/mix.toml")
        }
        let margin = config.propose?.margin ?? AutoMixerConfig.Propose.defaultMargin
        guard let signal else { return ([Self.lossTarget], "eval/loss: no signal measurement ([signal]) to choose capabilities by") }
        let unusable = signal.rows.filter { !$0.usable && $0.metric != "eval/loss" }.map {
            "\($0.metric) (\($0.atChance ? "at chance" : "SNR \($0.snr.map { String(format: "%.2f", $0) } ?? "undefined")"))"
        }
        let usable = signal.usableCapabilities.map(CapabilityMetrics.scoreColumn).filter(metrics.columns.contains)
        let left = unusable.isEmpty ? "" : "; not used: " + unusable.joined(separator: ", ")
        guard !usable.isEmpty else { return ([Self.lossTarget], "eval/loss: no capability is usable\(left)") }
        return (
            usable.map { ResolvedTarget(metric: $0, goal: .maximize, weight: 1, margin: margin) },
            "the capabilities usable by the signal measurement, each with a floor \(margin) below the prior's prediction\(left)"
        )
    }

    private static let lossTarget = ResolvedTarget(metric: "eval/loss", goal: .minimize, weight: 1, margin: nil)

    /// All fitted surrogates (a JSON array, targets first), in the mixer's folder.
    public static let surrogatesFile = "surrogates.json"

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
