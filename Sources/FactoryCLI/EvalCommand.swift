import ArgumentParser
import Data
import Evaluation
import FactoryCore
import Foundation
import Models

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

    func run() throws {
        let checkpoint = try LagunaCheckpoint.read(directory: model, verify: true).model
        let tokenizerPath = tokenizer ?? model + "/tokenizer.json"
        let evaluator = DomainEvaluator(
            validation: try DomainTokens(directory: data), tokenizer: try Tokenizer.load(path: tokenizerPath),
            time: sequenceLength, batchSize: batch, maximumSequences: maxSequences)
        let results = try evaluator.evaluate(checkpoint)
        print("domain\tloss\tbpb\ttokens")
        for domain in results.keys.sorted() {
            let result = results[domain]!
            print("\(domain)\t\(String(format: "%.4f", result.loss))\t\(String(format: "%.4f", result.bitsPerByte))\t\(result.tokens)")
        }
    }
}
