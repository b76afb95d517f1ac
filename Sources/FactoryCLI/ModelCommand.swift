import ArgumentParser
import FactoryCore
import Foundation
import Models
import Tokenization

/// `factory model`: create, describe and inspect Laguna checkpoints.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Create, describe and inspect Laguna checkpoint directories.",
        subcommands: [ModelInitCommand.self, ModelInfoCommand.self, ModelLogitsCommand.self, ModelGradsCommand.self]
    )
}

/// Where a model's shape comes from: a preset or a Hugging Face `config.json`.
struct ModelShapeOptions: ParsableArguments {
    @Option(help: "A preset.")
    var preset: LagunaPreset?

    @Option(help: "A Hugging Face config.json.")
    var config: String?

    @Option(help: "Vocabulary size for a preset (default: the tokenizer's, else the preset's).")
    var vocabSize: Int?

    /// The configuration named by exactly one of `--preset` and `--config`.
    func resolve(defaultVocabSize: Int? = nil) throws -> LagunaConfig {
        switch (preset, config) {
        case (let preset?, nil):
            return try preset.config(vocabSize: vocabSize ?? defaultVocabSize)
        case (nil, let path?):
            guard vocabSize == nil else {
                throw FactoryError.invalidArgument(name: "--vocab-size", message: "applies to --preset only; \(path) sets vocab_size")
            }
            return try LagunaConfig.load(configJSONAt: path)
        default:
            throw FactoryError.invalidArgument(name: "model shape", message: "give exactly one of --preset and --config")
        }
    }
}

/// `factory model init`: a freshly initialized checkpoint.
struct ModelInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Write a freshly initialized checkpoint directory.")

    @OptionGroup var shape: ModelShapeOptions

    @Option(help: "Initialization seed.")
    var seed: UInt64

    @Option(help: "A tokenizer.json to copy into the checkpoint; its size is the default vocabulary size.")
    var tokenizer: String?

    @Option(name: .shortAndLong, help: "The checkpoint directory to write (an existing checkpoint there is replaced).")
    var output: String

    @Option(
        help:
            "Split the weights into shards of at most this much tensor data, as transformers' max_shard_size: bytes, or with a unit KB, MB, GB or TB (powers of 1000)."
    )
    var maxShardSize: String = "50GB"

    func run() throws {
        let maxShardBytes = try Self.bytes(maxShardSize)
        let tokenizerSize = try tokenizer.map { try Tokenizer.load(path: $0).vocabularySize }
        let config = try shape.resolve(defaultVocabSize: tokenizerSize)
        if let tokenizerSize, tokenizerSize > config.vocabSize {
            throw FactoryError.invalidArgument(
                name: "vocab_size", message: "\(config.vocabSize) is smaller than the tokenizer's \(tokenizerSize) tokens")
        }
        try MemoryBudget.require(
            LagunaMemoryEstimate.weightBytes(config), for: "the weights of \(LagunaParameterCount(config).total) parameters",
            name: shape.config.map { "\($0): key 'hidden_size'" } ?? "--vocab-size")
        let model = try LagunaModel.initialized(config, seed: seed)
        var metadata = ["seed": String(seed), "created_by": "factory model init"]
        metadata["preset"] = shape.preset?.rawValue
        try LagunaCheckpoint.write(model: model, to: output, tokenizer: tokenizer, metadata: metadata, maxShardBytes: maxShardBytes)
        print("\(LagunaParameterCount(config).total) parameters -> \(output)")
    }

    /// A size as `huggingface_hub`'s `parse_size_to_int` reads it ("20KB" is 20000 bytes), or a
    /// plain byte count.
    static func bytes(_ text: String) throws -> Int {
        let units = ["KB": 1_000.0, "MB": 1e6, "GB": 1e9, "TB": 1e12]
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let unit = String(trimmed.suffix(2)).uppercased()
        let value = units[unit] != nil ? Double(trimmed.dropLast(2).trimmingCharacters(in: .whitespaces)) : Double(trimmed)
        guard let value, value >= 1 / (units[unit] ?? 1), (value * (units[unit] ?? 1)) < 0x1p62 else {
            throw FactoryError.invalidArgument(
                name: "--max-shard-size", message: "'\(text)' is not a size (bytes, or a number with KB, MB, GB or TB)")
        }
        return max(1, Int(value * (units[unit] ?? 1)))
    }
}

/// `factory model info`: parameter counts and layers of a checkpoint, preset or config.
struct ModelInfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Print parameter counts and the layer types of a checkpoint, preset or config.json.")

    @Option(help: "A checkpoint directory (only its config.json is read).")
    var model: String?

    @OptionGroup var shape: ModelShapeOptions

    func run() throws {
        let config: LagunaConfig
        if let model {
            guard shape.preset == nil, shape.config == nil else {
                throw FactoryError.invalidArgument(name: "--model", message: "give --model, --preset or --config, not several")
            }
            config = try LagunaConfig.load(configJSONAt: model + "/" + LagunaCheckpoint.configFileName)
        } else {
            config = try shape.resolve()
        }
        let count = LagunaParameterCount(config)
        print("parameters:      \(count.total)")
        print("non-embedding:   \(count.nonEmbedding)")
        print("active / token:  \(count.activePerToken)")
        print(
            "vocab \(config.vocabSize), hidden \(config.hiddenSize), head_dim \(config.headDim), \(config.numKeyValueHeads) KV heads, window \(config.slidingWindow)"
        )
        for layer in 0..<config.numHiddenLayers {
            print(
                "layer \(layer): \(config.layerTypes[layer].rawValue), \(config.numAttentionHeadsPerLayer[layer]) heads, \(config.mlpLayerTypes[layer].rawValue) MLP"
            )
        }
    }
}

/// Options shared by the inspection commands.
struct ModelInspectionOptions: ParsableArguments {
    @Option(help: "The checkpoint directory.")
    var model: String

    @Option(help: "A JSON array of token ids, read as one sequence.")
    var tokens: String

    @Option(name: .shortAndLong, help: "The safetensors file to write.")
    var output: String
}

/// `factory model logits`: the logits of one token sequence.
struct ModelLogitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logits", abstract: "Write the logits [T, V] of a token sequence as tensor 'logits'.")

    @OptionGroup var options: ModelInspectionOptions

    func run() throws {
        let model = try LagunaCheckpoint.read(directory: options.model).model
        let tokens = try LagunaInspection.readTokens(jsonAt: options.tokens)
        try LagunaInspection.logits(of: model, tokens: tokens).write(to: options.output)
    }
}

/// `factory model grads`: the next-token loss of one sequence and every parameter's gradient.
struct ModelGradsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grads",
        abstract: "Write the next-token loss ('loss') of a token sequence and each parameter's gradient under its Hugging Face name.")

    @OptionGroup var options: ModelInspectionOptions

    func run() throws {
        let model = try LagunaCheckpoint.read(directory: options.model).model
        let tokens = try LagunaInspection.readTokens(jsonAt: options.tokens)
        try LagunaInspection.gradients(of: model, tokens: tokens).write(to: options.output)
    }
}
