import FactoryCore
import Foundation
import Lineage
import Shards
import Tokenization

/// `factory tokenizer train` as a library call: a byte-level BPE tokenizer trained on text files
/// or JSON Lines documents, recorded as a `tokenizer-train` run that used the inputs and produced
/// `tokenizer.json`.
public struct TokenizerTrainStep: Sendable {
    /// Training inputs (`.jsonl`: the `text` field of each line; otherwise the whole file; `-`:
    /// standard input, not recorded).
    public var inputs: [String]
    /// Where to write `tokenizer.json`.
    public var output: String
    /// Vocabulary size, special tokens included.
    public var vocabSize: Int
    /// Extra special tokens (`ChatTokens.standard`, from `<|endoftext|>` to `</think>`, are always added).
    public var specialTokens: [String]
    /// The pre-tokenizer pattern.
    public var pattern: PreTokenizerPattern
    /// Stop when the most frequent pair occurs fewer times than this.
    public var minPairCount: Int

    /// Step defaults match `factory tokenizer train`'s.
    public init(
        inputs: [String], output: String, vocabSize: Int, specialTokens: [String] = [], pattern: PreTokenizerPattern = .cl100k,
        minPairCount: Int = 2
    ) {
        self.inputs = inputs
        self.output = output
        self.vocabSize = vocabSize
        self.specialTokens = specialTokens
        self.pattern = pattern
        self.minPairCount = minPairCount
    }

    /// Trains, writes and records the run in `store`.
    ///
    /// - Throws: ``FactoryError/invalidArgument(name:message:)`` naming an input that is a
    ///   device, FIFO, socket or folder (which would never end or is not text), before anything runs.
    public func run(in store: FactoryStore) throws -> (record: StageRecord, tokenizer: Tokenizer, textBytes: Int) {
        for input in inputs where input != "-" { try FileKind.requireRegularFile(input, name: "training input") }
        let options = BPETrainer.Options(
            vocabularySize: vocabSize, extraSpecialTokens: specialTokens, pattern: pattern, minimumPairCount: minPairCount)
        let config = try RunConfig(
            value: .table([
                "vocab_size": .integer(vocabSize), "special_tokens": .array(specialTokens.map { .string($0) }),
                "pattern": .string(pattern.rawValue), "min_pair_count": .integer(minPairCount),
            ]))
        var trained: (tokenizer: Tokenizer, textBytes: Int)?
        let record = try store.recordStage(
            kind: "tokenizer-train", name: URL(fileURLWithPath: output).lastPathComponent, config: config,
            inputs: inputs.filter { $0 != "-" }.map { StageArtifact(path: $0, kind: "dataset", role: "train-data") }
        ) {
            trained = try TokenizerTrainingInput.train(inputs: inputs, options: options, output: output)
            return [StageArtifact(path: output, kind: "tokenizer", role: "tokenizer")]
        }
        return (record, trained!.tokenizer, trained!.textBytes)
    }
}
