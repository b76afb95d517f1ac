import Documents
import FactoryCore

/// `kind = "tokenizer"`: `factory tokenizer train` on the `train.jsonl` files of a corpus folder
/// (input `documents`), writing `tokenizer.json`. Settings: `vocab_size`, `min_pair_count`.
struct TokenizerStage: DecodedSettingsStageKind {
    struct Settings: Decodable {
        var vocabSize: Int
        var minPairCount: Int?

        enum CodingKeys: String, CodingKey {
            case vocabSize = "vocab_size"
            case minPairCount = "min_pair_count"
        }
    }

    let name = "tokenizer"
    let inputRoles = StageInputRoles(required: ["documents"])

    func execute(_ context: StageContext) throws {
        let settings = try context.settings(for: self)
        var arguments = ["tokenizer", "train"] + (try CorpusFolderLayout.parts(of: context.input("documents")).map(\.trainPath))
        arguments += ["--vocab-size", String(settings.vocabSize), "--output", context.output + "/tokenizer.json"]
        if let count = settings.minPairCount { arguments += ["--min-pair-count", String(count)] }
        try context.runFactory(arguments)
    }
}
