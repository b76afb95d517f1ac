import Foundation
import Testing

@testable import Tokenization

/// Token ids equal those of Hugging Face `tokenizers` (fixtures made by
/// scripts/make_tokenizer_fixtures.sh): for a tokenizer.json the factory trained and wrote, and
/// for byte-level BPE files that `tokenizers` trained and wrote (cl100k-style split pattern with
/// `ignore_merges` off, and GPT-2's ByteLevelBPETokenizer).
@Suite struct TokenizerGoldenTests {
    @Test(arguments: ["factory", "hf_cl100k", "hf_gpt2"])
    func idsEqualTokenizers(name: String) throws {
        let tokenizer = try Tokenizer.load(path: TokenizerTestSupport.fixture("\(name).tokenizer.json"))
        let expected = try TokenizerTestSupport.json("\(name).expected.json") as! [String: Any]
        let ids = (expected["ids"] as! [[Int]]).map { $0.map(UInt32.init) }
        let texts = try TokenizerTestSupport.goldenTexts()
        #expect(texts.count >= 300)
        #expect(ids.count == texts.count)
        var mismatches = 0
        for (text, expectedIds) in zip(texts, ids) {
            let actual = tokenizer.encode(text)
            if actual != expectedIds {
                mismatches += 1
                Issue.record("\(name): \(text.debugDescription): got \(actual), tokenizers gives \(expectedIds)")
            }
        }
        #expect(mismatches == 0)
    }

    /// Saving a loaded file and loading it again changes no id; the factory's own file is
    /// rewritten byte for byte.
    @Test(arguments: ["factory", "hf_cl100k", "hf_gpt2"])
    func saveAndLoadPreservesEncoding(name: String) throws {
        let path = TokenizerTestSupport.fixture("\(name).tokenizer.json")
        let original = try Tokenizer.load(path: path)
        let directory = try TokenizerTestDirectory()
        let copyPath = directory.path + "/tokenizer.json"
        try original.save(toPath: copyPath)
        let copy = try Tokenizer.load(path: copyPath)
        #expect(copy.vocabulary == original.vocabulary)
        #expect(copy.merges == original.merges)
        #expect(copy.addedTokens == original.addedTokens)
        for text in try TokenizerTestSupport.goldenTexts() {
            #expect(copy.encode(text) == original.encode(text))
        }
        if name == "factory" {
            #expect(try Data(contentsOf: URL(fileURLWithPath: copyPath)) == Data(contentsOf: URL(fileURLWithPath: path)))
        }
    }

    /// Training on the golden texts again gives the committed factory tokenizer exactly.
    @Test func trainingReproducesTheCommittedTokenizer() throws {
        var trainer = try BPETrainer(options: BPETrainer.Options(vocabularySize: 700))
        for text in try TokenizerTestSupport.goldenTexts() { trainer.add(text) }
        let committed = try Data(contentsOf: URL(fileURLWithPath: TokenizerTestSupport.fixture("factory.tokenizer.json")))
        #expect(Data(try trainer.train().jsonBytes()) == committed)
    }
}
