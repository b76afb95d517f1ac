import FactoryCore
import Inference
import Tensors
import Testing

/// A sequence's decode logits are bitwise the same alone, in batches of other sizes and
/// companions (the MoE fixture's expert groups change with the batch), and on any thread count.
@Suite struct LagunaDecoderBatchInvarianceTests {
    /// Prompts of different lengths (some shorter than the window, some longer) over the vocabulary.
    static func prompts(count: Int, vocabulary: Int) -> [[UInt32]] {
        (0..<count).map { index in
            (0..<(3 + index * 5 % 17)).map { UInt32(($0 * 7 + index * 13 + 1) % vocabulary) }
        }
    }

    /// The logits of sequence 0 over `steps` decode steps, with `companions` other sequences in
    /// every step; each step feeds every sequence a fixed token.
    static func logitsOfFirst(
        decoder: LagunaDecoder, prompts: [[UInt32]], companions: Int, steps: Int
    ) throws -> [[UInt32]] {
        var caches = try prompts.prefix(companions + 1).map { try decoder.prefill($0, allPositions: false).cache }
        var bits: [[UInt32]] = []
        for step in 0..<steps {
            let tokens = caches.indices.map { UInt32(($0 * 11 + step * 3 + 5) % decoder.vocabularySize) }
            let logits = try decoder.decode(&caches, tokens: tokens)
            bits.append(GenerationFixture.row(logits, 0).map(\.bitPattern))
        }
        return bits
    }

    @Test(arguments: GenerationFixture.names)
    func firstSequenceLogitsDoNotDependOnTheBatch(name: String) throws {
        let fixture = try GenerationFixture(name)
        let prompts = [fixture.prompt] + Self.prompts(count: 20, vocabulary: fixture.model.config.vocabSize)
        for storage in KVCacheStorage.allCases {
            let decoder = try LagunaDecoder(model: fixture.model, cacheStorage: storage)
            let alone = try Self.logitsOfFirst(decoder: decoder, prompts: prompts, companions: 0, steps: 12)
            for companions in [1, 4, 15, 19] {
                let batched = try Self.logitsOfFirst(decoder: decoder, prompts: prompts, companions: companions, steps: 12)
                #expect(batched == alone, "\(storage) with \(companions) companions")
            }
        }
    }

    @Test func logitsDoNotDependOnTheThreadCount() throws {
        let fixture = try GenerationFixture("moe_sliding")
        let prompts = [fixture.prompt] + Self.prompts(count: 17, vocabulary: fixture.model.config.vocabSize)
        let one = try LagunaDecoder(model: fixture.model, cacheStorage: .fp8, pool: ThreadPool(threadCount: 1))
        let three = try LagunaDecoder(model: fixture.model, cacheStorage: .fp8, pool: ThreadPool(threadCount: 3))
        #expect(
            try Self.logitsOfFirst(decoder: one, prompts: prompts, companions: 17, steps: 6)
                == Self.logitsOfFirst(decoder: three, prompts: prompts, companions: 17, steps: 6))
    }
}
