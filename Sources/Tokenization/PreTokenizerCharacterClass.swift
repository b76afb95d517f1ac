/// The character classes the pre-tokenizer patterns distinguish, as regular-expression engines
/// define them: `\p{L}` (general category L*), `\p{N}` (N*), `\s` (Unicode `White_Space`, with
/// CR and LF kept apart because the patterns name them), and everything else.
enum PreTokenizerCharacterClass: UInt8 {
    case letter
    case number
    /// White space other than CR and LF.
    case space
    /// `\r` or `\n`.
    case newline
    /// Neither letter, number nor white space: punctuation, symbols, marks, controls, emoji.
    case other

    /// Whether the class is part of `\s`.
    @inline(__always) var isWhitespace: Bool { self == .space || self == .newline }

    /// The class of a scalar value.
    @inline(__always) static func of(_ value: UInt32) -> PreTokenizerCharacterClass {
        if value < 0x10000 { return PreTokenizerCharacterClass(rawValue: basicPlane[Int(value)])! }
        return classify(value)
    }

    /// Classes of U+0000…U+FFFF, computed once.
    private static let basicPlane: [UInt8] = (0..<0x10000).map { classify(UInt32($0)).rawValue }

    private static func classify(_ value: UInt32) -> PreTokenizerCharacterClass {
        if value == 0x0A || value == 0x0D { return .newline }
        guard let scalar = Unicode.Scalar(value) else { return .other }
        let properties = scalar.properties
        if properties.isWhitespace { return .space }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            return .number
        default:
            return .other
        }
    }
}
