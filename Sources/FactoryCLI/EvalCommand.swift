import ArgumentParser
import Evaluation
import FactoryCore
import Foundation
import Lineage
import Models
import Shards
import Tokenization

/// `factory eval --model DIR --data SHARDS --tokenizer tokenizer.json`.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Per-domain held-out loss and bits per byte of a checkpoint on a shard folder.")

    @Option(help: "A checkpoint folder (config.json + model.safetensors).")
    var model: String

    @Option(help: "A `factory shards build` folder of held-out text.")
    var data: String

    @Option(help: "The tokenizer that encoded the shards (default: the checkpoint's tokenizer.json).")
    var tokenizer: String?

    @Option(help: "Tokens per evaluated window.")
    var sequenceLength = 128

    @Option(help: "Windows per forward pass.")
    var batch = 8

    @Option(help: "At most this many windows per domain.")
    var maxSequences = 64

    @Option(help: "Also write the results as JSON here (per domain: loss, bpb, tokens), and record the evaluation in the lineage store.")
    var output: String?

    @OptionGroup var store: StoreOptions

    func run() throws {
        var results = [String: DomainEvaluator.Result]()
        if let output {
            let inputs = [
                StageArtifact(path: model, kind: "checkpoint", role: "model"), StageArtifact(path: data, kind: "shard-set", role: "validation"),
            ]
            let settings: [String: ConfigValue] = [
                "sequence_length": .integer(sequenceLength), "batch": .integer(batch), "max_sequences": .integer(maxSequences),
            ]
            try store.recordStage(kind: "eval", name: URL(fileURLWithPath: output).lastPathComponent, config: RunConfig(value: .table(settings)), inputs: inputs) {
                results = try evaluate()
                let table = ConfigValue.table(results.mapValues { result in
                    .table(["loss": .float(result.loss), "bpb": .float(result.bitsPerByte), "tokens": .integer(result.tokens)])
                })
                try AtomicFile.write(Data((try CanonicalJSON.encode(table) + "\n").utf8), toPath: output)
                return [StageArtifact(path: output, kind: "evaluation", role: "results")]
            }
        } else {
            results = try evaluate()
        }
        print("domain\tloss\tbpb\ttokens")
        for domain in results.keys.sorted() {
            let result = results[domain]!
            print("\(domain)\t\(String(format: "%.4f", result.loss))\t\(String(format: "%.4f", result.bitsPerByte))\t\(result.tokens)")
        }
    }

    private func evaluate() throws -> [String: DomainEvaluator.Result] {
        let checkpoint = try LagunaCheckpoint.read(directory: model, verify: true).model
        let tokenizerPath = tokenizer ?? model + "/tokenizer.json"
        let evaluator = DomainEvaluator(
            validation: try DomainTokens(directory: data), tokenizer: try Tokenizer.load(path: tokenizerPath),
            time: sequenceLength, batchSize: batch, maximumSequences: maxSequences)
        return try evaluator.evaluate(checkpoint)
    }
}
