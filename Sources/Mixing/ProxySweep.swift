import Execution
import FactoryCore
import Foundation

/// One proxy training run per mixture, run through an `Executor` as `factory train` processes.
///
/// The sweep folder holds `mixtures.csv` (index, one column per domain), `run-NNN/run.toml` (the
/// base run with `data.mixture` and `train.output` replaced) and, once a run finishes,
/// `run-NNN/final_metrics.json`. With `capabilities`, each trained run's final checkpoint is then
/// scored on the capability suites by a `factory eval --suites capabilities` process
/// (``CapabilityEvalInvocation``), written to `run-NNN/capabilities.json`, and its metrics
/// (``CapabilityMetrics``) join the run's row of `metrics.csv`. A run counts as done when its
/// files exist, so an interrupted sweep restarted on the same folder runs only what is missing
/// (each unfinished run resuming from its newest checkpoint, a trained run only evaluated).
/// Paths in the base run stay relative to the working directory, which the jobs inherit.
public struct ProxySweep: Sendable {
    public let directory: String
    public let baseRunFile: String
    public let mixtures: [Mixture]
    /// The `factory` executable the jobs run.
    public let factory: String
    /// The lineage store the runs record into.
    public let store: String
    public let threadsPerRun: Int
    /// The capability suites each run is scored on after training (none: no capability metrics).
    public let capabilities: AutoMixerConfig.Capabilities?
    /// Each run's `train.seed` (none: the base run's), for runs that repeat a mixture with another seed.
    public let seeds: [Int]?

    /// `seeds`, when given, has one seed per mixture.
    public init(
        directory: String, baseRunFile: String, mixtures: [Mixture], factory: String, store: String, threadsPerRun: Int,
        capabilities: AutoMixerConfig.Capabilities? = nil, seeds: [Int]? = nil
    ) {
        precondition(seeds == nil || seeds!.count == mixtures.count, "one seed per mixture")
        self.directory = directory
        self.baseRunFile = baseRunFile
        self.mixtures = mixtures
        self.factory = factory
        self.store = store
        self.threadsPerRun = threadsPerRun
        self.capabilities = capabilities
        self.seeds = seeds
    }

    /// The capability results file of a run, inside its folder.
    public static let capabilityResultsFile = "capabilities.json"

    /// The domains of the sweep, in column order.
    public var domains: [String] { Array(Set(mixtures.flatMap(\.domains))).sorted() }

    func runDirectory(_ index: Int) -> String { directory + String(format: "/run-%03d", index + 1) }

    /// Writes `mixtures.csv` and every run's `run.toml` (an existing `mixtures.csv` must agree).
    public func prepare() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let table = NumericTable(
            columns: domains, index: mixtures.indices.map { "\($0 + 1)" }, hasIndexColumn: true,
            rows: mixtures.map { $0.vector(over: domains) })
        let path = directory + "/mixtures.csv"
        if FileManager.default.fileExists(atPath: path) {
            guard try NumericTable.read(path: path) == table else {
                throw FactoryError.config(
                    file: path, keyPath: "", line: nil,
                    message: "this sweep folder was prepared for other mixtures; use a new folder or the same swarm settings")
            }
        } else {
            try AtomicFile.write(Data(table.csvText().utf8), toPath: path)
        }
        let baseText = try String(contentsOfFile: baseRunFile, encoding: .utf8)
        guard case .table(var base) = try ConfigValue.parseTOML(baseText, source: baseRunFile) else { return }
        for (index, mixture) in mixtures.enumerated() {
            let folder = runDirectory(index)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            guard case .table(var data) = base["data"] ?? .table([:]), case .table(var train) = base["train"] ?? .table([:]) else {
                throw FactoryError.config(file: baseRunFile, keyPath: "data", line: nil, message: "[data] and [train] must be tables")
            }
            data["mixture"] = .table(mixture.dictionary.filter { $0.value > 0 }.mapValues { .float($0) })
            train["output"] = .string(folder)
            if let seeds { train["seed"] = .integer(seeds[index]) }
            base["data"] = .table(data)
            base["train"] = .table(train)
            try AtomicFile.write(Data(try ConfigValue.table(base).tomlText().utf8), toPath: folder + "/run.toml")
        }
    }

    /// Indices of the runs not trained yet.
    public func untrainedRuns() -> [Int] {
        mixtures.indices.filter { !FileManager.default.fileExists(atPath: runDirectory($0) + "/final_metrics.json") }
    }

    /// Indices of the runs without all their results yet (not trained, or not yet scored on the
    /// capability suites).
    public func pendingRuns() -> [Int] {
        mixtures.indices.filter { index in
            !FileManager.default.fileExists(atPath: runDirectory(index) + "/final_metrics.json")
                || (capabilities != nil && !FileManager.default.fileExists(atPath: runDirectory(index) + "/" + Self.capabilityResultsFile))
        }
    }

    /// Runs what is pending: the training of the untrained runs, then the capability evaluation
    /// of the trained runs that lack it; returns the outcomes of the jobs started.
    @discardableResult
    public func run(executor: any Executor, progress: ProgressReporter? = nil) throws -> [JobOutcome] {
        try prepare()
        let training = untrainedRuns().map { index in
            Job(
                name: "run-\(index + 1)", executable: factory,
                arguments: TrainInvocation(config: runDirectory(index) + "/run.toml", resume: true, threads: threadsPerRun, store: store).arguments,
                logPath: runDirectory(index) + "/train.log")
        }
        var outcomes = try executor.run(training) { _ in if self.capabilities == nil { progress?.advance() } }
        try Self.requireSuccess(outcomes, what: "runs", log: "train.log")
        guard let capabilities else { return outcomes }
        let evaluations = pendingRuns().map { index in
            Job(
                name: "eval-\(index + 1)", executable: factory,
                arguments: CapabilityEvalInvocation(
                    model: runDirectory(index) + "/final", tasks: capabilities.tasks,
                    output: runDirectory(index) + "/" + Self.capabilityResultsFile, maxDocuments: capabilities.maxDocuments,
                    store: store
                ).arguments,
                logPath: runDirectory(index) + "/eval.log")
        }
        let evaluated = try executor.run(evaluations) { _ in progress?.advance() }
        try Self.requireSuccess(evaluated, what: "capability evaluations", log: "eval.log")
        outcomes += evaluated
        return outcomes
    }

    private static func requireSuccess(_ outcomes: [JobOutcome], what: String, log: String) throws {
        if let failed = outcomes.first(where: { !$0.succeeded }) {
            throw FactoryError.io(
                path: failed.job.logPath, operation: "finish proxy job \(failed.job.name)",
                reason:
                    "exit status \(failed.exitStatus); \(outcomes.filter { !$0.succeeded }.count) of \(outcomes.count) \(what) failed (see their \(log)); rerun the sweep to retry only those"
            )
        }
    }

    /// The finished runs' metrics as a table (index, then every metric key: the training run's
    /// final metrics and, with `capabilities`, its capability metrics), written to `metrics.csv`.
    public func collect() throws -> NumericTable {
        var rows = [(String, [String: Double])]()
        let pending = Set(pendingRuns())
        for index in mixtures.indices where !pending.contains(index) {
            let path = runDirectory(index) + "/final_metrics.json"
            guard let data = FileManager.default.contents(atPath: path) else { throw FactoryError.fileNotFound(path: path) }
            var metrics = try JSONDecoder().decode([String: Double].self, from: data)
            if capabilities != nil {
                metrics.merge(try CapabilityMetrics.read(path: runDirectory(index) + "/" + Self.capabilityResultsFile)) { training, _ in training }
            }
            rows.append(("\(index + 1)", metrics))
        }
        let keys = Array(Set(rows.flatMap { $0.1.keys })).sorted()
        let table = NumericTable(
            columns: keys, index: rows.map(\.0), hasIndexColumn: true, rows: rows.map { row in keys.map { row.1[$0] ?? .nan } })
        try AtomicFile.write(Data(table.csvText().utf8), toPath: directory + "/metrics.csv")
        return table
    }
}
