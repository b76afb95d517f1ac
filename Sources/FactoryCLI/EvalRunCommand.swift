import ArgumentParser
import Evaluation
import FactoryCore
import Foundation
import Lineage
import Pipeline

/// What `factory eval` measures.
enum EvalSuites: String, CaseIterable, ExpressibleByArgument {
    /// Per-domain held-out loss and bits per byte on a validation shard folder (`--data`).
    case domains
    /// Task files scored per task and per capability (`--tasks`).
    case capabilities
}

/// `factory eval [run] --model DIR --data SHARDS` (per-domain loss) or `factory eval [run]
/// --model DIR --suites capabilities --tasks DIR` (capability suites).
struct EvalRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Evaluate a checkpoint (the default of `factory eval`).",
        discussion: """
            --suites domains (the default): per-domain held-out loss and bits per byte on a shard folder (--data).
            --suites capabilities: the task files of --tasks, scored as lm-evaluation-harness scores them \
            (multiple choice: acc, acc_norm, acc_bytes; exact match; code: pass@k), per task and per capability, \
            with bootstrap standard errors.
            """)

    @Option(help: "A checkpoint folder (config.json + model.safetensors + tokenizer.json).")
    var model: String

    @Option(help: "What to measure.")
    var suites = EvalSuites.domains

    @Option(help: "domains: a `factory shards build` folder of held-out text.")
    var data: String?

    @Option(help: "domains: the tokenizer that encoded the shards (default: the checkpoint's tokenizer.json).")
    var tokenizer: String?

    @Option(help: "domains: tokens per evaluated window.")
    var sequenceLength = EvaluationResults.Settings().sequenceLength

    @Option(help: "Sequences per forward pass (domains: windows; capabilities: choices, and sequences per decode step).")
    var batch = EvaluationResults.Settings().batch

    @Option(help: "domains: at most this many windows per domain.")
    var maxSequences = EvaluationResults.Settings().maxSequences

    @Option(help: "capabilities: a folder of task files (*.jsonl).")
    var tasks: String?

    @Option(help: "capabilities: at most this many documents per task (the first in file order).")
    var maxDocuments = CapabilitySettings().maxDocuments

    @Option(help: "capabilities: tokens an exact-match document generates when it does not say.")
    var maxTokens = CapabilitySettings().exactMatchMaxTokens

    @Option(help: "capabilities: samples per code document (the n of pass@k).")
    var codeSamples = CapabilitySettings().codeSamples

    @Option(help: "capabilities: a k of pass@k to report (repeat for several).")
    var passK = CapabilitySettings().passK

    @Option(help: "capabilities: sampling temperature of code samples.")
    var temperature = CapabilitySettings().codeTemperature

    @Option(help: "capabilities: seed of the code samples.")
    var seed = CapabilitySettings().codeSeed

    @Option(help: "capabilities: tokens a code sample may generate.")
    var codeMaxTokens = CapabilitySettings().codeMaxTokens

    @Option(help: "capabilities: bootstrap resamples for the standard errors.")
    var bootstrap = CapabilitySettings().bootstrapResamples

    @Option(help: "capabilities: seed of the bootstrap.")
    var bootstrapSeed = CapabilitySettings().bootstrapSeed

    @Option(
        help: "Also write the results as JSON here and record the evaluation (and, for capabilities, its scores as metrics) in the lineage store.")
    var output: String?

    @OptionGroup var store: StoreOptions

    func validate() throws {
        switch suites {
        case .domains:
            guard data != nil else { throw ValidationError("--suites domains needs --data (a validation shard folder)") }
            guard tasks == nil else { throw ValidationError("--tasks is for --suites capabilities") }
        case .capabilities:
            guard tasks != nil else { throw ValidationError("--suites capabilities needs --tasks (a folder of task files)") }
            guard data == nil, tokenizer == nil else { throw ValidationError("--data and --tokenizer are for --suites domains") }
        }
    }

    func run() throws {
        switch suites {
        case .domains: try evaluateDomains(data: data!)
        case .capabilities: try evaluateCapabilities(tasks: tasks!)
        }
    }

    private func evaluateDomains(data: String) throws {
        let settings = EvaluationResults.Settings(sequenceLength: sequenceLength, batch: batch, maxSequences: maxSequences)
        let results: EvaluationResults
        if let output {
            let (record, evaluated) = try EvalStep(model: model, data: data, tokenizer: tokenizer, settings: settings, output: output)
                .run(in: store.open())
            store.printLineage(record)
            results = evaluated
        } else {
            results = try EvaluationResults.evaluate(checkpoint: model, shards: data, tokenizer: tokenizer, settings: settings)
        }
        for (domain, reason) in results.skippedDomains.sorted(by: { $0.key < $1.key }) {
            FileHandle.standardError.write(Data("warning: domain '\(domain)' of \(data) is not evaluated: \(reason)\n".utf8))
        }
        print("domain\tloss\tbpb\ttokens")
        for domain in results.domains.keys.sorted() {
            let result = results.domains[domain]!
            print("\(domain)\t\(String(format: "%.4f", result.loss))\t\(String(format: "%.4f", result.bitsPerByte))\t\(result.tokens)")
        }
    }

    private var capabilitySettings: CapabilitySettings {
        var settings = CapabilitySettings()
        settings.maxDocuments = maxDocuments
        settings.batch = batch
        settings.exactMatchMaxTokens = maxTokens
        settings.codeSamples = codeSamples
        settings.passK = passK
        settings.codeTemperature = temperature
        settings.codeSeed = seed
        settings.codeMaxTokens = codeMaxTokens
        settings.bootstrapResamples = bootstrap
        settings.bootstrapSeed = bootstrapSeed
        return settings
    }

    private func evaluateCapabilities(tasks: String) throws {
        let results: CapabilityResults
        try capabilitySettings.validate()
        let codeRunner = try Self.codeRunner(for: tasks)
        if let output {
            let step = CapabilityEvalStep(model: model, tasks: tasks, settings: capabilitySettings, output: output, codeRunner: codeRunner)
            let (record, evaluated) = try step.run(in: store.open())
            store.printLineage(record)
            results = evaluated
        } else {
            results = try CapabilityEvaluator.evaluate(checkpoint: model, tasks: tasks, settings: capabilitySettings, codeRunner: codeRunner)
        }
        for line in CapabilityTable.lines(results) { print(line) }
    }

    /// The bubblewrap sandbox when the folder holds a `code` task (located up front, so a machine
    /// without it is refused before the model loads); none otherwise, so multiple-choice and
    /// exact-match suites run where bubblewrap is missing.
    private static func codeRunner(for tasks: String) throws -> (any CodeRunner)? {
        try TaskFolder.read(folder: tasks).contains { $0.header.kind == .code } ? SandboxedPythonRunner.locate() : nil
    }
}
