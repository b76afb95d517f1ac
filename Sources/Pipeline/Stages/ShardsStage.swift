import Documents
import FactoryCore

/// `kind = "shards"`: `factory shards build` of a corpus folder (input `documents`) with a
/// tokenizer (input `tokenizer`): `train/` and `validation/` shard folders. Setting:
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

    func execute(_ context: StageContext) throws {
        let settings = try context.settings(for: self)
        let tokenizer = context.input("tokenizer") + "/tokenizer.json"
        let parts = try CorpusFolderLayout.parts(of: context.input("documents"))
        for (split, files) in [("train", parts.map(\.trainPath)), ("validation", parts.compactMap(\.validationPath))] {
            guard !files.isEmpty else {
                throw FactoryError.corrupt(path: context.input("documents"), reason: "no DOMAIN/\(split).jsonl files")
            }
            var arguments = ["shards", "build"] + files
            arguments += ["--tokenizer", tokenizer, "--output", "\(context.output)/\(split)"]
            if let limit = settings.maxShardTokens { arguments += ["--max-shard-tokens", String(limit)] }
            try context.runFactory(arguments)
        }
    }
}
