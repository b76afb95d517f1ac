import Documents
import FactoryCore

/// `kind = "shards"`: ``ShardBuildStep`` (`factory shards build`) in this process, of a corpus
/// folder (input `documents`) with a tokenizer (input `tokenizer`): `train/` and `validation/`
/// shard folders, each its own `shard-build` run. Setting:
/// `max_shard_tokens` (optional).
struct ShardsStage: DecodedSettingsStageKind {
    struct Settings: Decodable {
        var maxShardTokens: Int?

        enum CodingKeys: String, CodingKey {
            case maxShardTokens = "max_shard_tokens"
        }
    }

    let name = "shards"
    let inputRoles = StageInputRoles(required: ["documents", "tokenizer"])

    func check(_ settings: Settings, at location: StageSettingsLocation) throws {
        try requireAtLeast(1, [("max_shard_tokens", settings.maxShardTokens)], at: location)
    }

    func execute(_ context: StageContext) throws {
        let settings = try context.settings(for: self)
        let tokenizer = context.input("tokenizer") + "/tokenizer.json"
        let parts = try CorpusFolderLayout.parts(of: context.input("documents"))
        for (split, files) in [("train", parts.map(\.trainPath)), ("validation", parts.compactMap(\.validationPath))] {
            guard !files.isEmpty else {
                throw FactoryError.corrupt(path: context.input("documents"), reason: "no DOMAIN/\(split).jsonl files")
            }
            var step = ShardBuildStep(inputs: files, tokenizer: tokenizer, output: "\(context.output)/\(split)")
            if let limit = settings.maxShardTokens { step.maxShardTokens = limit }
            let (record, manifests) = try step.run(in: try context.openStore())
            for manifest in manifests {
                context.log.note("\(split) \(manifest.domain): \(manifest.documents) documents, \(manifest.tokens) tokens (run \(record.run.id))")
            }
        }
    }
}
