import Foundation

/// The two text normal forms deduplication compares documents under.
public enum TextNormalization {
    /// The text for exact deduplication: Unicode NFC with every run of whitespace collapsed to
    /// one space and leading and trailing whitespace removed.
    public static func normalized(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping
            .split(whereSeparator: { $0.isWhitespace })
            .joined(separator: " ")
    }

    /// The words of the text for fuzzy deduplication: lowercased, diacritics and punctuation
    /// removed, every run of digits replaced by a single `0`, split on whitespace and symbols.
    public static func simplifiedWords(_ text: String) -> [String] {
        var words = [String]()
        var word = String.UnicodeScalarView()
        var inDigits = false
        func endWord() {
            if !word.isEmpty { words.append(String(word)) }
            word = String.UnicodeScalarView()
            inDigits = false
        }
        for scalar in text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            let properties = scalar.properties
            switch properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark:
                continue
            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                .initialPunctuation, .finalPunctuation, .otherPunctuation:
                inDigits = false
                continue
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
}
