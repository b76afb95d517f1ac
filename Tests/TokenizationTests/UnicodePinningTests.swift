import Foundation
import Testing

@testable import Tokenization

/// The pre-tokenizer's classes follow Unicode 16.0.0, the version Hugging Face `tokenizers`
/// 0.23.3 matches `\p{L}`, `\p{N}` and `\s` with (found empirically by
/// scripts/make_unicode_classes.sh over every code point), not the Swift toolchain's (17.0). The
/// fixture holds texts with the 4,657 code points whose class changed in Unicode 17 (CJK
/// Extension J and others), split and encoded by `tokenizers`.
@Suite struct UnicodePinningTests {
    private func cases() throws -> (header: [String: Any], cases: [[String: Any]]) {
        let document = try TokenizerTestSupport.json("unicode_pinning_cases.json") as! [String: Any]
        return (document, document["cases"] as! [[String: Any]])
    }

    @Test func tableFollowsTheVersionTheFixtureWasCheckedAgainst() throws {
        let (header, cases) = try cases()
        #expect(PreTokenizerCharacterClass.unicodeVersion == "16.0.0")
        #expect(header["unicode_version"] as? String == PreTokenizerCharacterClass.unicodeVersion)
        #expect(header["changed_code_points"] as? Int == 4657)
        #expect(cases.count > 50)
    }

    /// Code points assigned in Unicode 17 are unassigned (other) in 16.0, whatever the toolchain says.
    @Test func codePointsAddedAfterTheVersionAreOther() {
        // CJK Unified Ideographs Extension J (17.0), first and last.
        #expect(PreTokenizerCharacterClass.of(0x323B0) == .other)
        #expect(PreTokenizerCharacterClass.of(0x3347F) == .other)
        // CJK Extension H (15.0) and I (15.1) are letters; U+1C89 (Cyrillic, 16.0) too.
        #expect(PreTokenizerCharacterClass.of(0x31350) == .letter)
        #expect(PreTokenizerCharacterClass.of(0x2EBF0) == .letter)
        #expect(PreTokenizerCharacterClass.of(0x1C89) == .letter)
        #expect(PreTokenizerCharacterClass.of(0x0661) == .number)
        #expect(PreTokenizerCharacterClass.of(0x3000) == .space)
        #expect(PreTokenizerCharacterClass.of(0x000D) == .newline)
        #expect(PreTokenizerCharacterClass.of(0x200B) == .other)
        #expect(PreTokenizerCharacterClass.of(0x10FFFF) == .other)
        #expect(PreTokenizerCharacterClass.of(0x110000) == .other)
    }

    /// The basic-plane lookup expanded from the table agrees with the table's binary search.
    @Test func basicPlaneLookupAgreesWithTheTable() {
        var mismatches = 0
        for value in UInt32(0)..<0x10000 where PreTokenizerCharacterClass.of(value) != PreTokenizerCharacterClass.classify(value) {
            mismatches += 1
        }
        #expect(mismatches == 0)
    }

    @Test(arguments: PreTokenizerPattern.allCases)
    func splitsEqualTokenizersOnCodePointsNewInUnicode17(pattern: PreTokenizerPattern) throws {
        let preTokenizer = PreTokenizer(pattern: pattern)
        for entry in try cases().cases {
            let text = entry["text"] as! String
            var ends = [Int]()
            for piece in preTokenizer.split(text) { ends.append((ends.last ?? 0) + piece.utf8.count) }
            #expect(ends == entry["\(pattern.rawValue)_utf8_ends"] as! [Int], "text: \(text.debugDescription)")
        }
    }

    @Test(arguments: ["hf_cl100k", "hf_gpt2"])
    func idsEqualTokenizersOnCodePointsNewInUnicode17(name: String) throws {
        let tokenizer = try Tokenizer.load(path: TokenizerTestSupport.fixture("\(name).tokenizer.json"))
        for entry in try cases().cases {
            let text = entry["text"] as! String
            let expected = (entry["\(name)_ids"] as! [Int]).map(UInt32.init)
            #expect(tokenizer.encode(text) == expected, "text: \(text.debugDescription)")
        }
    }
}
