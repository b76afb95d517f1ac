/// The character classes the pre-tokenizer patterns distinguish, as regular-expression engines
/// define them: `\p{L}` (general category L*), `\p{N}` (N*), `\s` (Unicode `White_Space`, with
/// CR and LF kept apart because the patterns name them), and everything else.
///
/// The classes follow one Unicode version, ``unicodeVersion``: the one Hugging Face `tokenizers`
/// matches its patterns with (Oniguruma's tables), from a table generated into the repository
/// (PreTokenizerUnicodeTable.swift, by scripts/make_unicode_classes.sh). They never come from the
/// Swift toolchain's own Unicode data, so ids do not change with the toolchain, and code points
/// assigned after that version (CJK Extension J, …) are unassigned here, class ``other``, as
/// `tokenizers` treats them.
enum PreTokenizerCharacterClass: UInt8 {
    case letter
    case number
    /// White space other than CR and LF.
    case space
    /// `\r` or `\n`.
    case newline
    /// Neither letter, number nor white space: punctuation, symbols, marks, controls, emoji,
    /// unassigned code points.
    case other

    /// Whether the class is part of `\s`.
    @inline(__always) var isWhitespace: Bool { self == .space || self == .newline }

    /// The class of a scalar value.
    @inline(__always) static func of(_ value: UInt32) -> PreTokenizerCharacterClass {
        if value < 0x10000 { return PreTokenizerCharacterClass(rawValue: basicPlane[Int(value)])! }
        return classify(value)
    }

    /// Classes of U+0000…U+FFFF, expanded from ``boundaries`` once.
    private static let basicPlane: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 0x10000)
        for (index, entry) in boundaries.enumerated() {
            let start = Int(entry >> 3)
            guard start < 0x10000 else { break }
            let end = index + 1 < boundaries.count ? min(Int(boundaries[index + 1] >> 3), 0x10000) : 0x10000
            for value in start..<end { table[value] = UInt8(entry & 7) }
        }
        return table
    }()

    /// The class of any scalar value, by binary search in ``boundaries``; values above U+10FFFF
    /// are ``other``.
    static func classify(_ value: UInt32) -> PreTokenizerCharacterClass {
        guard value <= 0x10FFFF else { return .other }
        var low = 0
        var high = boundaries.count
        // The last entry whose start is at most `value` (the first starts at U+0000).
        while high - low > 1 {
            let middle = (low + high) / 2
            if boundaries[middle] >> 3 <= value { low = middle } else { high = middle }
        }
        return PreTokenizerCharacterClass(rawValue: UInt8(boundaries[low] & 7))!
    }
}
