import Evaluation
import FactoryCore
import Foundation
import Lineage
import Models
import Shards
import Tensors
import Tokenization
import Training

/// A `run.toml` turned into a running trainer, recorded in the lineage store: the run, its
/// inputs (shards, tokenizer, a resumed checkpoint), its metrics and its final checkpoint.
public enum TrainingRun {
    /// The file in a run's output folder holding the last evaluation's metrics (JSON object of
    /// metric key → value), written when the run finishes; sweeps read it.
    public static let finalMetricsFileName = "final_metrics.json"

    private static func writeFinalMetrics(_ values: [String: Double], to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(values), toPath: path)
    }

    /// The model config a run file names: a preset sized to the shards' vocabulary, or a `config.json`.
    public static func modelConfig(for run: TrainingRunConfig, vocabularySize: Int, source: String) throws -> LagunaConfig {
        let config: LagunaConfig
        if let preset = run.model.preset {
            config = try LagunaPreset.named(preset).config(vocabSize: vocabularySize)
        } else {
            config = try LagunaConfig.load(configJSONAt: run.model.config!)
        }
        guard config.vocabSize >= vocabularySize else {
            throw FactoryError.config(
                file: source, keyPath: "model", line: nil,
                message: "the model's vocab_size \(config.vocabSize) is smaller than the shards' vocabulary \(vocabularySize)")
        }
        return config
    }

    /// Which optimizer would update which parameter of the model `runFile` declares (the
    /// shards are read for their vocabulary size; nothing is trained or recorded).
    public static func optimizerPlan(runFile: String) throws -> OptimizerPlan {
        let run = try TrainingRunConfig.load(path: runFile)
        let train = try DomainTokens(directory: run.data.train)
        let config = try modelConfig(for: run, vocabularySize: train.vocabularySize, source: runFile)
        return OptimizerPlan(layout: LagunaParameters.layout(of: config), run: run)
    }

    /// Trains as `runFile` says, resuming from the newest checkpoint under the output folder when
    /// `resume` is set (refused if a setting that exact resumption depends on changed, unless
    /// `allowConfigChange`), and records everything in `store`; `injections` add to the run
    /// file's `[[train.inject_fault]]` drills. Returns the run id.
    @discardableResult
    public static func execute(
        runFile: String, store: FactoryStore, resume: Bool, allowConfigChange: Bool = false, threads: Int? = nil,
        progress: Bool = true, injections: [FaultInjection] = []
    ) throws -> String {
        try execute(
            config: try configValue(ofRunFile: runFile), source: runFile, store: store, resume: resume,
            allowConfigChange: allowConfigChange, threads: threads, progress: progress, injections: injections)
    }

    /// The parsed value tree of a run file.
    public static func configValue(ofRunFile path: String) throws -> ConfigValue {
        guard let data = FileManager.default.contents(atPath: path) else { throw FactoryError.fileNotFound(path: path) }
        guard let text = String(data: data, encoding: .utf8) else {
            throw FactoryError.config(file: path, keyPath: "", line: nil, message: "the file is not valid UTF-8")
        }
        return try ConfigValue.parseTOML(text, source: path)
    }

    /// Trains as the run configuration `config` says (a parsed run file; `source` names it in
    /// errors and in the run record), recording the run in `store` with `tags` under `name`
    /// (default: the output folder's name). Returns the run id.
    ///
    /// With `train.replicas` > 1 the thread budget is split among the replicas; the run records
    /// the same metrics, checkpoints and final metrics as with one, plus integrity faults and
    /// rollbacks as run events (also written to standard error). Skipped non-finite steps are
    /// `warning` events; a resume with changed settings (`allowConfigChange`) is a `warning`
    /// event listing each key's old and new value.
    ///
    /// Before anything is allocated, the run's memory (`TrainingMemoryEstimate`) is checked
    /// against the machine's.
    @discardableResult
    public static func execute(
        config: ConfigValue, source runFile: String, store: FactoryStore, resume: Bool, allowConfigChange: Bool = false,
        threads: Int? = nil, progress: Bool = true, tags: [String] = [], name: String? = nil,
        injections extraInjections: [FaultInjection] = []
    ) throws -> String {
        let run = try ConfigLoader.decode(TrainingRunConfig.self, from: config, source: runFile)
        try run.validate(source: runFile)
        // A second trainer on the same output folder would overwrite this one's checkpoints.
        let outputLock = try FolderLock.acquire(run.train.output, name: "train.output of \(runFile)")
        defer { outputLock.release() }
        guard extraInjections.isEmpty || run.train.replicas > 1 else {
            throw FactoryError.invalidArgument(
                name: "--inject-fault", message: "needs train.replicas > 1 in \(runFile) (a single replica has nothing to compare with)")
        }
        let train = try DomainTokens(directory: run.data.train)
        let validation = try run.data.validation.map { try DomainTokens(directory: $0) }
        let tokenizer = try run.data.tokenizer.map { try Tokenizer.load(path: $0) }
        try DomainTokens.requireConsistent(
            train: train, validation: validation, tokenizer: tokenizer.map { (tokenizer: $0, path: run.data.tokenizer!) }, source: runFile)
        let modelConfig = try modelConfig(for: run, vocabularySize: train.vocabularySize, source: runFile)
        var settings = run.trainerSettings
        let seed = settings.seed
        try MemoryBudget.require(
            TrainingMemoryEstimate.bytes(modelConfig, settings: settings),
            for: "training \(LagunaParameterCount(modelConfig).total) parameters with train.batch = \(settings.batch), "
                + "sequence_length = \(settings.time), accumulation = \(settings.accumulation) and replicas = \(settings.replicas)",
            name: "\(runFile): key 'train'")
        let sampler = try MixtureBatchSampler(
            tokens: train, mixture: run.data.mixture ?? MixtureBatchSampler.tokenShares(of: train),
            time: settings.time, seed: seed)
        let evaluator: DomainEvaluator? = try validation.map { validation in
            guard let tokenizer else {
                throw FactoryError.config(
                    file: runFile, keyPath: "data.tokenizer", line: nil, message: "validation needs the tokenizer (for bits per byte)")
            }
            let evaluator = try DomainEvaluator(
                validation: validation, tokenizer: tokenizer, time: settings.time, batchSize: settings.batch,
                maximumSequences: run.train.evalSequences, source: run.data.validation ?? runFile)
            for (domain, reason) in evaluator.skippedDomains.sorted(by: { $0.key < $1.key }) {
                FileHandle.standardError.write(Data("warning: validation domain '\(domain)' is not evaluated: \(reason)\n".utf8))
            }
            return evaluator
        }
        let threadBudget = threads ?? run.train.threads ?? HostInfo.activeCores
        let pool = ThreadPool(threadCount: max(threadBudget / settings.replicas, 1))
        let initialModel = try LagunaModel.initialized(modelConfig, seed: seed)
        let injections = try validatedInjections(
            run: run, source: runFile, extra: extraInjections, model: initialModel, settings: settings)

        let record = try store.startRun(
            kind: "train", name: name ?? URL(fileURLWithPath: run.train.output).lastPathComponent,
            config: RunConfig(value: config), seed: Int(seed), tags: tags)
        do {
            let trainData = try store.addArtifact(atPath: run.data.train, kind: "shard-set").digest
            try store.records.link(LineageEdge(runID: record.id, artifact: trainData, direction: .input, role: "train-data"))
            settings.resumption = run.resumptionSettings(trainData: trainData.hex)
            if let path = run.data.validation {
                try store.records.link(
                    LineageEdge(
                        runID: record.id, artifact: store.addArtifact(atPath: path, kind: "shard-set").digest,
                        direction: .input, role: "validation-data"))
            }
            if let path = run.data.tokenizer {
                try store.records.link(
                    LineageEdge(
                        runID: record.id, artifact: store.addArtifact(atPath: path, kind: "tokenizer").digest,
                        direction: .input, role: "tokenizer"))
            }
            let metrics = LineageMetricSink(store: store.records, runID: record.id)
            let checkpoint = resume ? Trainer.latestCheckpoint(in: run.train.output) : nil
            func linkResumed(_ checkpoint: String) throws {
                try store.records.link(
                    LineageEdge(
                        runID: record.id, artifact: store.addArtifact(atPath: checkpoint, kind: "checkpoint").digest,
                        direction: .input, role: "init"))
            }
            var trainer = try Trainer(
                settings: settings, model: initialModel, sampler: sampler,
                reporting: .init(
                    integrity: IntegrityCheckLineageSink(
                        store: store.records, runID: record.id, echo: ProgressReporter.writeToStandardError),
                    metrics: metrics, evaluator: evaluator, writesCheckpoints: true, tokenizerPath: run.data.tokenizer),
                injections: injections, pool: pool)
            if let checkpoint {
                let changes = try trainer.resume(from: checkpoint, allowingChanges: allowConfigChange)
                try linkResumed(checkpoint)
                if !changes.isEmpty {
                    try store.records.recordEvent(
                        RunEvent(
                            runID: record.id, kind: .warning, time: Date(), step: Int64(trainer.currentStep),
                            message: "resumed from \(checkpoint) with changed settings (--allow-config-change): "
                                + changes.map(\.description).joined(separator: "; "),
                            details: Dictionary(uniqueKeysWithValues: changes.map { ($0.key, $0.description) })))
                }
            }
            let reporter =
                progress
                ? ProgressReporter(label: "train", total: settings.steps - trainer.currentStep, unit: "steps") : nil
            let evaluation = try trainer.run(progress: reporter).evaluation
            reporter?.finish()
            if !evaluation.isEmpty {
                try writeFinalMetrics(Trainer.metricValues(of: evaluation), to: run.train.output + "/" + finalMetricsFileName)
            }
            try store.records.link(
                LineageEdge(
                    runID: record.id, artifact: store.addArtifact(atPath: run.train.output + "/final", kind: "checkpoint").digest,
                    direction: .output, role: "model"))
            try store.records.endRun(record.id, status: .finished, at: Date())
            return record.id
        } catch {
            try? store.records.endRun(record.id, status: .failed, at: Date())
            throw error
        }
    }

    /// The run file's injections, then `extra` (from the command line), each checked against the
    /// model; a bad run-file entry is reported at its key path.
    private static func validatedInjections(
        run: TrainingRunConfig, source: String, extra: [FaultInjection], model: LagunaModel, settings: Trainer.Settings
    ) throws -> [FaultInjection] {
        let state = TrainerState(
            step: 0, seed: settings.seed, optimizer: try Optimizer(adamW: settings.adamW, muon: settings.muon, parameters: model.parameters))
        for (index, injection) in run.faultInjections.enumerated() {
            do {
                try Trainer.validate(injection, replicas: settings.replicas, steps: settings.steps, model: model, state: state)
            } catch FactoryError.invalidArgument(let name, let message) {
                let field = name.hasPrefix("fault ") ? "." + name.dropFirst("fault ".count) : ""
                throw FactoryError.config(file: source, keyPath: "train.inject_fault[\(index)]" + field, line: nil, message: message)
            }
        }
        for injection in extra {
            do {
                try Trainer.validate(injection, replicas: settings.replicas, steps: settings.steps, model: model, state: state)
            } catch FactoryError.invalidArgument(let name, let message) {
                throw FactoryError.invalidArgument(name: "--inject-fault (\(name))", message: message)
            }
        }
        return run.faultInjections + extra
    }
}
