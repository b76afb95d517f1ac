import Documents
import FactoryCore
import Tokenization

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

    /// The smallest vocabulary: the 256 byte tokens and the standard special tokens.
    static var minimumVocabularySize: Int { 256 + BPETrainer.Options(vocabularySize: 0).specialTokens.count }
    /// The largest: token ids are stored as 32-bit numbers in shards.
    static let maximumVocabularySize = Int(UInt32.max)

    func check(_ settings: Settings, at location: StageSettingsLocation) throws {
        guard (Self.minimumVocabularySize...Self.maximumVocabularySize).contains(settings.vocabSize) else {
            throw location.error(
                "vocab_size",
                "must be between \(Self.minimumVocabularySize) (256 byte tokens and the special tokens) and \(Self.maximumVocabularySize), got \(settings.vocabSize)"
            )
        }
        try requireAtLeast(1, [("min_pair_count", settings.minPairCount)], at: location)
    }

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
