import FactoryCore
import Foundation

/// A Laguna checkpoint directory that `transformers.AutoModelForCausalLM.from_pretrained` loads
/// (DESIGN section 3): `config.json`, `model.safetensors` or its shards with
/// `model.safetensors.index.json` (F32, `{"format": "pt"}`, sparse layers in the per-expert
/// layout `save_pretrained` writes, see `LagunaHubLayout` and `SafeTensorsShards`), an optional
/// `tokenizer.json`, whatever files the caller adds (the trainer's `trainer_state.safetensors`),
/// and `factory.json` (`FactoryCheckpointManifest`) with the size and SHA-256 of every other file.
public struct LagunaCheckpoint: Sendable {
    /// The Hugging Face config file's name.
    public static let configFileName = "config.json"
    /// The weights file's name.
    public static let weightsFileName = "model.safetensors"
    /// The tokenizer file's name.
    public static let tokenizerFileName = "tokenizer.json"

    /// The model read from the directory.
    public let model: LagunaModel
    /// The directory's `factory.json`, or `nil` for a directory without one (saved by
    /// `transformers`, for example), whose files could not be verified.
    public let manifest: FactoryCheckpointManifest?

    /// Writes `model` as a checkpoint directory at `directory`, replacing any checkpoint there.
    ///
    /// Everything is written into a staging directory beside `directory` and flushed to disk, then
    /// swapped into place (see `AtomicDirectory`), so a crash leaves either the old or the new
    /// complete checkpoint. `extraFiles` is called with the staging directory's path after the
    /// model files are written, to add files of the caller's (they are flushed and listed in
    /// `factory.json` like the others); if it throws, nothing is replaced. An existing non-empty
    /// directory without `config.json` or `factory.json` is not replaced (an error instead).
    ///
    /// - Parameters:
    ///   - tokenizer: a `tokenizer.json` to copy into the checkpoint. With it come
    ///     `tokenizer_config.json` (special tokens, left padding, the chat template when the
    ///     tokenizer has the chat tokens; see `TokenizerConfigFile.factory`) and
    ///     `generation_config.json`, and `config.json` gets the `bos_token_id`, `eos_token_id` and
    ///     `pad_token_id` the model's config leaves unset (`<|endoftext|>`, `<|endoftext|>`,
    ///     `<|pad|>`); `generation_config.json` also stops at `<|im_end|>`. A file that is not a
    ///     valid `tokenizer.json`, or one with more tokens than
    ///     `vocab_size`, is an error.
    ///   - metadata: strings recorded in `factory.json` (lineage ids, seed, step).
    ///   - maxShardBytes: weights whose F32 data exceed this many bytes are split into shards
    ///     with an index, as `save_pretrained(max_shard_size=...)` splits them (see
    ///     `SafeTensorsShards`); the default is `transformers`' (50 GB), so most checkpoints are
    ///     one `model.safetensors`. `factory.json` lists every shard and the index.
    /// - Returns: the manifest written.
    /// - Throws: ``FactoryError/invalidArgument(name:message:)`` naming the tensor and element
    ///   when a weight is NaN or infinite: a diverged model is never written as a checkpoint.
    @discardableResult
    public static func write(
        model: LagunaModel, to directory: String, tokenizer: String? = nil, metadata: [String: String] = [:],
        maxShardBytes: Int = SafeTensorsShards.defaultMaxShardBytes,
        extraFiles: (_ stagingDirectory: String) throws -> Void = { _ in }
    ) throws -> FactoryCheckpointManifest {
        if let bad = NonFiniteValue.first(in: model.parameters) {
            throw FactoryError.invalidArgument(
                name: "model weights", message: "\(bad.description); the checkpoint \(directory) is not written (diverged weights)")
        }
        var manifest: FactoryCheckpointManifest?
        let tokenizerFiles = try tokenizer.map {
            try CheckpointTokenizerFiles(tokenizerAt: $0, config: model.config)
        }
        let config = tokenizerFiles?.filling(model.config) ?? model.config
        try AtomicDirectory.replace(directory, name: "checkpoint directory", requireReplaceable: requireCheckpoint) { staging in
            try AtomicFile.write(config.huggingFaceJSON(), toPath: staging + "/" + configFileName)
            try SafeTensorsShards.write(
                LagunaHubLayout.orderedHubTensors(of: model.parameters, config: model.config), to: staging, dtype: .f32,
                metadata: ["format": "pt"], maxShardBytes: maxShardBytes, totalParameters: model.parameters.scalarCount)
            if let tokenizer, let tokenizerFiles {
                try copy(tokenizer, to: staging + "/" + tokenizerFileName)
                try tokenizerFiles.write(to: staging, config: config)
            }
            try extraFiles(staging)
            let described = try FactoryCheckpointManifest.describing(directory: staging, metadata: metadata)
            try AtomicFile.write(described.encoded(), toPath: staging + "/" + FactoryCheckpointManifest.fileName)
            manifest = described
        }
        return manifest!
    }

    /// Reads the checkpoint in `directory` (or the complete previous one an interrupted `write`
    /// left beside it).
    ///
    /// With `verify`, every file `factory.json` lists is checked for size and SHA-256 first. A
    /// directory without `factory.json`, as `transformers`' `save_pretrained` writes, is accepted
    /// without any verification (there is nothing to verify against); `manifest` is then `nil`.
    /// The weights, `model.safetensors` or the shards `model.safetensors.index.json` names
    /// (`SafeTensorsShards.read`), must match the config's parameters exactly, by name and shape;
    /// `factory.json`, when verified, must list the index and every shard.
    ///
    /// Errors name the file and, for the weights, the tensor: a missing file or shard, a truncated
    /// file, a digest mismatch, a missing, misshapen or unknown tensor, a tensor the index lists
    /// but its shard lacks (`FactoryError.corrupt` or `.fileNotFound`), a bad `config.json` or
    /// index key (`FactoryError.config`).
    public static func read(directory: String, verify: Bool = true) throws -> LagunaCheckpoint {
        let source = AtomicDirectory.readablePath(directory)
        guard FileManager.default.fileExists(atPath: source) else { throw FactoryError.fileNotFound(path: directory) }
        let manifest = try FactoryCheckpointManifest.read(directory: source)
        if let manifest, verify {
            for required in try [configFileName] + SafeTensorsShards.weightFiles(in: source) where !manifest.lists(required) {
                throw FactoryError.corrupt(
                    path: source + "/" + FactoryCheckpointManifest.fileName, reason: "it does not list \(required)")
            }
            try manifest.verify(directory: source)
        }
        let config = try LagunaConfig.load(configJSONAt: source + "/" + configFileName)
        let weights = try SafeTensorsShards.read(directory: source)
        let parameters = try LagunaParameters.parameters(of: config, from: weights.tensors, source: weights.source)
        return LagunaCheckpoint(model: try LagunaModel(config: config, parameters: parameters), manifest: manifest)
    }

    /// Throws unless `directory` holds a checkpoint (so `write` may replace it).
    private static func requireCheckpoint(_ directory: String) throws {
        let isCheckpoint = [FactoryCheckpointManifest.fileName, configFileName].contains {
            FileManager.default.fileExists(atPath: directory + "/" + $0)
        }
        guard isCheckpoint else {
            throw FactoryError.invalidArgument(
                name: "checkpoint directory", message: "\(directory) exists and is not a checkpoint; refusing to replace it")
        }
    }

    private static func copy(_ source: String, to destination: String) throws {
        guard FileManager.default.fileExists(atPath: source) else { throw FactoryError.fileNotFound(path: source) }
        do {
            try FileManager.default.copyItem(atPath: source, toPath: destination)
        } catch {
            throw FactoryError.io(path: source, operation: "copy to \(destination)", reason: error.localizedDescription)
        }
    }
}
