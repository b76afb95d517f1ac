import Foundation

/// The two text normal forms deduplication compares documents under.
///
/// Both work on UTF-8 bytes directly where the text is ASCII (most of a typical corpus) and hand
/// only the non-ASCII parts to Unicode normalization, with the same result as normalizing the
/// whole text.
enum TextNormalization {
    /// The text for exact deduplication: Unicode NFC with every run of whitespace collapsed to
    /// one space and leading and trailing whitespace removed.
    static func normalized(_ text: String) -> String {
        var text = text
        let ascii: String? = text.withUTF8 { bytes in
            guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
            // ASCII is its own NFC, and every ASCII character is one grapheme.
            var output = [UInt8]()
            output.reserveCapacity(bytes.count)
            var pendingSpace = false
            for byte in bytes {
                if asciiWhitespace[Int(byte)] {
                    pendingSpace = !output.isEmpty
                } else {
                    if pendingSpace { output.append(0x20) }
                    pendingSpace = false
                    output.append(byte)
                }
            }
            return String(decoding: output, as: UTF8.self)
        }
        return ascii
            ?? text.precomposedStringWithCanonicalMapping
            .split(whereSeparator: { $0.isWhitespace })
            .joined(separator: " ")
    }

    /// The words of the text for fuzzy deduplication: lowercased, diacritics and punctuation
    /// removed, every run of digits replaced by a single `0`, split on whitespace and symbols.
    static func simplifiedWords(_ text: String) -> [String] {
        var words = [String]()
        forEachSimplifiedWord(in: text) { words.append(String(decoding: $0, as: UTF8.self)) }
        return words
    }

    /// Calls `body` with the UTF-8 bytes of each word of ``simplifiedWords(_:)``, in order, without
    /// building strings.
    ///
    /// ASCII bytes are classified through a table; each run of non-ASCII bytes is lowercased and
    /// decomposed (NFD) on its own. Both mappings work scalar by scalar, and ASCII characters are
    /// starters that never compose or reorder, so this equals mapping the whole text at once.
    static func forEachSimplifiedWord(in text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var text = text
        var scanner = SimplifiedWordScanner()
        text.withUTF8 { bytes in
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte < 0x80 {
                    scanner.take(ascii: byte, body)
                    index += 1
                    continue
                }
                var end = index + 1
                while end < bytes.count && bytes[end] >= 0x80 { end += 1 }
                let run = String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<end]), as: UTF8.self)
                for scalar in run.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
                    scanner.take(scalar, body)
                }
                index = end
            }
        }
        scanner.finish(body)
    }

    /// Whether each ASCII byte is whitespace (`Unicode.Scalar.Properties.isWhitespace`).
    private static let asciiWhitespace: [Bool] = (0..<128).map { Unicode.Scalar(UInt8($0)).properties.isWhitespace }
}

/// What a scalar does to the word being built by ``TextNormalization/forEachSimplifiedWord(in:_:)``.
private enum SimplifiedWordRole {
    /// A diacritic: dropped, nothing else changes.
    case mark
    /// Punctuation: dropped; a following digit starts a new run of digits.
    case punctuation
    /// A decimal digit: the first of a run adds `0`.
    case digit
    /// A letter or non-decimal number: added as it is.
    case letter
    /// Anything else (whitespace, symbols, controls): ends the word.
    case separator

    init(_ scalar: Unicode.Scalar) {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark:
            self = .mark
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation:
            self = .punctuation
        case .decimalNumber:
            self = .digit
        case .letterNumber, .otherNumber, .lowercaseLetter, .uppercaseLetter, .titlecaseLetter,
            .modifierLetter, .otherLetter:
            self = .letter
        default:
            self = .separator
        }
    }

    /// The role of each ASCII byte.
    static let ascii: [SimplifiedWordRole] = (0..<128).map { SimplifiedWordRole(Unicode.Scalar(UInt8($0))) }
}

/// The word under construction and whether it ends in a run of digits.
private struct SimplifiedWordScanner {
    var word: [UInt8] = []
    var inDigits = false

    init() {
        word.reserveCapacity(64)
    }

    /// Takes one ASCII byte (lowercasing letters, as `String.lowercased()` does).
    mutating func take(ascii byte: UInt8, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        let lowercase = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
        take(SimplifiedWordRole.ascii[Int(byte)], letter: CollectionOfOne(lowercase), body)
    }

    /// Takes one scalar of lowercased, decomposed text.
    mutating func take(_ scalar: Unicode.Scalar, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        take(SimplifiedWordRole(scalar), letter: scalar.utf8, body)
    }

    /// Applies `role`; `letter` is the character's UTF-8 when it is a letter.
    private mutating func take<Letter: Sequence<UInt8>>(
        _ role: SimplifiedWordRole, letter: Letter, _ body: (UnsafeBufferPointer<UInt8>) -> Void
    ) {
        switch role {
        case .mark:
            break
        case .punctuation:
            inDigits = false
        case .digit:
            if !inDigits { word.append(0x30) }
            inDigits = true
        case .letter:
            word.append(contentsOf: letter)
            inDigits = false
        case .separator:
            finish(body)
        }
    }

    /// Ends the current word, handing it to `body` when it is not empty.
    mutating func finish(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        if !word.isEmpty { word.withUnsafeBufferPointer(body) }
        word.removeAll(keepingCapacity: true)
        inDigits = false
    }
}
