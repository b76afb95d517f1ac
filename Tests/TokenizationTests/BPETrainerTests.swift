import FactoryCore
import Foundation
import Testing

@testable import Tokenization

@Suite struct BPETrainerTests {
    private func train(_ texts: [String], vocabularySize: Int, minimumPairCount: Int = 2) throws -> Tokenizer {
        var trainer = try BPETrainer(
            options: BPETrainer.Options(vocabularySize: vocabularySize, minimumPairCount: minimumPairCount))
        for text in texts { trainer.add(text) }
        return try trainer.train()
    }

    /// The most frequent pair merges first; ties go to the smaller ids.
    @Test func mergesMostFrequentPairsFirst() throws {
        let tokenizer = try train(["ab ab ab cd cd xy"], vocabularySize: 256 + 4 + 6)
        func id(_ text: String) -> UInt32 { UInt32(tokenizer.vocabulary.firstIndex(of: ByteLevel.encode(Array(text.utf8)))!) }
        // Pre-tokens: "ab", " ab" ×2, " cd" ×2, " xy". Pair counts: (a,b) 3, then four pairs at 2,
        // taken by smaller left id, then smaller right id: (space,c) before (space,ab) before (" c",d).
        #expect(
            tokenizer.merges == [
                BPEMerge(left: id("a"), right: id("b")), BPEMerge(left: id(" "), right: id("c")),
                BPEMerge(left: id(" "), right: id("ab")), BPEMerge(left: id(" c"), right: id("d")),
            ])
        #expect(tokenizer.vocabularySize == 266)
        #expect(tokenizer.encode("ab cd xy") == [id("ab"), id(" cd"), id(" "), id("x"), id("y")])
    }

    /// Training is a function of the text counts: same bytes every run, in any feeding order.
    @Test func trainingIsDeterministic() throws {
        let texts = try TokenizerTestSupport.goldenTexts()
        let first = try train(texts, vocabularySize: 800).jsonBytes()
        let again = try train(texts, vocabularySize: 800).jsonBytes()
        var random = TokenizerTestRandom(seed: 11)
        let shuffled = texts.sorted { _, _ in random.next() % 2 == 0 }
        let reordered = try train(shuffled, vocabularySize: 800).jsonBytes()
        #expect(first == again)
        #expect(first == reordered)
    }

    @Test func stopsWhenPairsBecomeRare() throws {
        let tokenizer = try train(["abc abc"], vocabularySize: 1000)
        // (a,b) and then (ab,c) occur twice; (space,abc) only once, so it merges only with a minimum of 1.
        #expect(tokenizer.merges.count == 2)
        #expect(tokenizer.vocabularySize == 256 + 2 + 6)
        let all = try train(["abc abc"], vocabularySize: 1000, minimumPairCount: 1)
        #expect(all.merges.count == 3)
    }

    @Test func extraSpecialTokensFollowTheStandardOnes() throws {
        var trainer = try BPETrainer(options: BPETrainer.Options(vocabularySize: 300, extraSpecialTokens: ["<|user|>"]))
        trainer.add("hello hello")
        let tokenizer = try trainer.train()
        #expect(
            tokenizer.addedTokens.map(\.content) == ["<|endoftext|>", "<|pad|>", "<|im_start|>", "<|im_end|>", "<think>", "</think>", "<|user|>"])
        // The reasoning delimiters are added but not special (decoding that skips specials keeps them).
        #expect(tokenizer.addedTokens.map(\.special) == [true, true, true, true, false, false, true])
        #expect(tokenizer.addedTokens.allSatisfy { !$0.normalized })
        #expect(tokenizer.addedTokenId("<|user|>") == UInt32(tokenizer.vocabularySize - 1))
        #expect(tokenizer.encode("<|user|>hello").first == tokenizer.addedTokenId("<|user|>"))
    }

    @Test func rejectsImpossibleOptions() {
        #expect { try BPETrainer(options: BPETrainer.Options(vocabularySize: 257)) } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "vocabulary size" && message.contains("257 is below 256 byte tokens + 6 special tokens")
        }
        #expect {
            try BPETrainer(options: BPETrainer.Options(vocabularySize: 1000, extraSpecialTokens: ["<|pad|>"]))
        } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "special tokens" && message.contains("repeats a token") && message.contains("<|pad|>")
        }
    }
}
