import Foundation
import Testing

@testable import Curation

/// The byte-level fast paths of ``TextNormalization`` against the definitions they implement,
/// written out the direct (slow) way, on random texts full of Unicode edge cases.
@Suite struct TextNormalizationTests {
    /// Whole-text definition of ``TextNormalization/simplifiedWords(_:)``.
    static func referenceSimplifiedWords(_ text: String) -> [String] {
        var words = [String]()
        var word = String.UnicodeScalarView()
        var inDigits = false
        func endWord() {
            if !word.isEmpty { words.append(String(word)) }
            word = String.UnicodeScalarView()
            inDigits = false
        }
        for scalar in text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark:
                continue
            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                .initialPunctuation, .finalPunctuation, .otherPunctuation:
                inDigits = false
            case .decimalNumber:
                if !inDigits { word.append("0") }
                inDigits = true
            case .letterNumber, .otherNumber, .lowercaseLetter, .uppercaseLetter, .titlecaseLetter,
                .modifierLetter, .otherLetter:
                word.append(scalar)
                inDigits = false
            default:
                endWord()
            }
        }
        endWord()
        return words
    }

    /// Whole-text definition of ``TextNormalization/normalized(_:)``.
    static func referenceNormalized(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Pieces that stress lowercasing, decomposition, digit runs, punctuation and whitespace.
    static let pieces: [String] = [
        "a", "Z", "Word", "QUICK", "7", "2024", "3.14", "-", "_", "'", "\"", "(", ")", ".", ",", "!", "+", "=", "$", "|",
        "~", "`", "^", "@", "#", "/", "\\", " ", "  ", "\t", "\n", "\r\n", "\u{0B}", "\u{0C}", "\u{1F}", "\u{00}",
        "\u{7F}", "É", "é", "e\u{301}", "\u{301}", " \u{301}", "n\u{303}\u{323}", "ñ", "ß", "İ", "Σ", "ΣΑΣ", "ς", "ﬁ",
        "Ǆ", "ǅ", "\u{0661}\u{0662}", "\u{FF11}", "\u{00B2}", "Ⅻ", "\u{00A0}", "\u{2028}", "\u{3000}", "\u{0085}",
        "\u{201C}", "\u{2014}", "\u{2026}", "\u{200D}", "\u{0600}", "\u{0E33}", "ไทย", "हिन्दी", "한국어", "\u{1100}\u{1161}",
        "日本", "👍🏽", "👩‍💻", "🇫🇷", "Å", "Ω", "K", "ǰ", "ΐ", "ﬃ", "ﬀ", "\u{E0041}", "\u{FE0F}", "😀",
    ]

    static func randomText(_ state: inout UInt64, pieces: [String], count: Int) -> String {
        var text = ""
        for _ in 0..<count {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            text += pieces[Int((state >> 33) % UInt64(pieces.count))]
        }
        return text
    }

    @Test func simplifiedWordsEqualTheWholeTextDefinition() {
        var state: UInt64 = 2024
        for round in 0..<2000 {
            let text = Self.randomText(&state, pieces: Self.pieces, count: 1 + round % 40)
            #expect(
                TextNormalization.simplifiedWords(text) == Self.referenceSimplifiedWords(text),
                "text: \(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test func asciiNormalizationEqualsTheWholeTextDefinition() {
        let ascii = (0..<128).map { String(UnicodeScalar(UInt8($0))) } + ["\r\n", "  ", "word"]
        var state: UInt64 = 7
        for round in 0..<2000 {
            let text = Self.randomText(&state, pieces: ascii, count: round % 50)
            #expect(TextNormalization.normalized(text) == Self.referenceNormalized(text), "text: \(Array(text.utf8))")
        }
        for text in [" \u{301}x", "e\u{301}  \u{00A0}f", "\u{0600}  x", "a\r\n\u{2028}b"] {
            #expect(TextNormalization.normalized(text) == Self.referenceNormalized(text))
        }
    }

    @Test func handCases() {
        #expect(TextNormalization.simplifiedWords("Ünïcödé  ΣΟΦΊΑ İstanbul ﬁne") == ["unicode", "σοφια", "istanbul", "ﬁne"])
        #expect(TextNormalization.simplifiedWords("x\u{0661}\u{0662}3 ٣-4") == ["x0", "00"])
        #expect(TextNormalization.normalized("\t a  b\r\n") == "a b")
    }
}
