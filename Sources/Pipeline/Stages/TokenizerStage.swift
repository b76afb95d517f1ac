import Documents
import FactoryCore

/// `kind = "tokenizer"`: ``TokenizerTrainStep`` (`factory tokenizer train`) in this process, on
/// the `train.jsonl` files of a corpus folder (input `documents`), writing `tokenizer.json`. Settings: `vocab_size`, `min_pair_count`.
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
        var step = TokenizerTrainStep(
            inputs: try CorpusFolderLayout.parts(of: context.input("documents")).map(\.trainPath), output: context.output + "/tokenizer.json",
            vocabSize: settings.vocabSize)
        if let count = settings.minPairCount { step.minPairCount = count }
        let (record, tokenizer, textBytes) = try step.run(in: try context.openStore())
        context.log.note(
            "tokenizer: \(tokenizer.vocabularySize) tokens, \(tokenizer.merges.count) merges from \(textBytes) bytes (run \(record.run.id))")
    }
}
