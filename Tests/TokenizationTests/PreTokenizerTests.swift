import Foundation
import Testing

@testable import Tokenization

@Suite struct PreTokenizerTests {
    /// Splits checked against Python's `regex` module (fixture made by make_tokenizer_fixtures.py).
    @Test(arguments: PreTokenizerPattern.allCases)
    func matchesTheRegexModuleOnTrickyText(pattern: PreTokenizerPattern) throws {
        let cases = try TokenizerTestSupport.json("pretokenizer_cases.json") as! [[String: Any]]
        #expect(cases.count > 30)
        let preTokenizer = PreTokenizer(pattern: pattern)
        for entry in cases {
            let text = entry["text"] as! String
            let expectedEnds = entry[pattern.rawValue + "_utf8_ends"] as! [Int]
            var ends = [Int]()
            for piece in preTokenizer.split(text) { ends.append((ends.last ?? 0) + piece.utf8.count) }
            #expect(ends == expectedEnds, "text: \(text.debugDescription), pieces: \(preTokenizer.split(text))")
        }
    }

    @Test func contractionsIgnoreCaseOnlyInCL100K() {
        let text = "it's IT'S We'Re"
        #expect(PreTokenizer(pattern: .cl100k).split(text) == ["it", "'s", " IT", "'S", " We", "'Re"])
        #expect(PreTokenizer(pattern: .gpt2).split(text) == ["it", "'s", " IT", "'", "S", " We", "'", "Re"])
    }

    @Test func whitespaceKeepsOneSpaceForTheNextWord() {
        let pieces = PreTokenizer(pattern: .cl100k).split("a   b  \n\n  c   ")
        #expect(pieces == ["a", "  ", " b", "  \n\n", " ", " c", "   "])
    }

    @Test func digitsGroupInThrees() {
        #expect(PreTokenizer(pattern: .cl100k).split("1234567") == ["123", "456", "7"])
        #expect(PreTokenizer(pattern: .gpt2).split("1234567") == ["1234567"])
    }

    /// Pieces always cover the text exactly, whatever scalars it holds.
    @Test(arguments: PreTokenizerPattern.allCases)
    func piecesConcatenateToTheText(pattern: PreTokenizerPattern) {
        let alphabet: [Unicode.Scalar] = [
            "a", "Z", "'", "s", "L", " ", "\t", "\r", "\n", "1", "٣", ".", "!", "\u{0301}", "\u{00A0}", "\u{3000}",
            "日", "👋", "\u{200D}", "ſ", "\u{0085}", "-",
        ]
        var generator = TokenizerTestRandom(seed: 7)
        let preTokenizer = PreTokenizer(pattern: pattern)
        for _ in 0..<2000 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<Int(generator.next() % 24) { scalars.append(alphabet[Int(generator.next() % UInt64(alphabet.count))]) }
            let text = String(scalars)
            let pieces = preTokenizer.split(text)
            #expect(pieces.joined() == text)
            #expect(!pieces.contains(""))
        }
    }
}
