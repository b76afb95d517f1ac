import ArgumentParser
import Evaluation
import Foundation
import Lineage
import Models
import Pipeline
import Shards
import Tokenization

/// `factory eval --model DIR --data SHARDS --tokenizer tokenizer.json`.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Per-domain held-out loss and bits per byte of a checkpoint on a shard folder.",
        subcommands: [EvalTasksCommand.self])

    // Optional so that `factory eval tasks …` parses without them (ArgumentParser decodes the
    // parent's options too); `run()` requires them.
    @Option(help: "A checkpoint folder (config.json + model.safetensors).")
    var model: String?

    @Option(help: "A `factory shards build` folder of held-out text.")
    var data: String?

    @Option(help: "The tokenizer that encoded the shards (default: the checkpoint's tokenizer.json).")
    var tokenizer: String?

    @Option(help: "Tokens per evaluated window.")
    var sequenceLength = EvaluationResults.Settings().sequenceLength

    @Option(help: "Windows per forward pass.")
    var batch = EvaluationResults.Settings().batch

    @Option(help: "At most this many windows per domain.")
    var maxSequences = EvaluationResults.Settings().maxSequences

    @Option(help: "Also write the results as JSON here (per domain: loss, bpb, tokens), and record the evaluation in the lineage store.")
    var output: String?

    @OptionGroup var store: StoreOptions

    func run() throws {
        guard let model else { throw ValidationError("Missing expected argument '--model <model>'") }
        guard let data else { throw ValidationError("Missing expected argument '--data <data>'") }
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
}
