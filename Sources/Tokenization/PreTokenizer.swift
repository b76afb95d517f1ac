/// The split patterns the pre-tokenizer implements, each by a hand-written scanner that cuts text
/// exactly where the regular expression's successive matches would.
public enum PreTokenizerPattern: String, Sendable, CaseIterable {
    /// tiktoken's `cl100k_base` pattern (also Llama 3's): case-insensitive contractions, letter
    /// runs with one leading non-letter, digit groups of at most three, punctuation runs with
    /// trailing newlines, and white-space rules that keep a single space before the next word.
    case cl100k
    /// GPT-2's pattern: case-sensitive contractions, and letter, digit and punctuation runs with
    /// an optional leading space.
    case gpt2

    /// The regular expression, in the syntax `tokenizer.json` and tiktoken store.
    var regex: String {
        switch self {
        case .cl100k:
            return #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
        case .gpt2:
            return #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
        }
    }

    /// The pattern whose regular expression is exactly `regex`, if the scanner implements it.
    public init?(regex: String) {
        guard let pattern = Self.allCases.first(where: { $0.regex == regex }) else { return nil }
        self = pattern
    }
}

/// Splits text into pre-tokens (the pieces BPE merges never cross).
public struct PreTokenizer: Sendable, Hashable {
    /// The pattern this pre-tokenizer follows.
    public let pattern: PreTokenizerPattern

    /// A pre-tokenizer for `pattern`.
    public init(pattern: PreTokenizerPattern) {
        self.pattern = pattern
    }

    /// The pieces of `text`, in order; concatenated they give `text` back.
    public func split(_ text: String) -> [String] {
        var copy = text
        return copy.withUTF8 { bytes in
            var pieces = [String]()
            var start = 0
            while start < bytes.count {
                let end = pieceEnd(in: bytes, from: start)
                pieces.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
                start = end
            }
            return pieces
        }
    }

    /// The end (exclusive byte offset) of the piece that starts at `start` in well-formed UTF-8.
    @inline(__always)
    func pieceEnd(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        switch pattern {
        case .cl100k: return Scanner(bytes: bytes).cl100kPieceEnd(from: start)
        case .gpt2: return Scanner(bytes: bytes).gpt2PieceEnd(from: start)
        }
    }
}

/// The scanning primitives over one UTF-8 buffer.
private struct Scanner {
    let bytes: UnsafeBufferPointer<UInt8>

    private static let apostrophe: UInt32 = 0x27
    private static let space: UInt32 = 0x20

    @inline(__always)
    private func scalar(at index: Int) -> (value: UInt32, length: Int, kind: PreTokenizerCharacterClass) {
        let (value, length) = TokenizerUTF8.decodeScalar(bytes, at: index)
        return (value, length, PreTokenizerCharacterClass.of(value))
    }

    /// Alternatives in order: `(?i:'s|'t|'re|'ve|'m|'ll|'d)`, `[^\r\n\p{L}\p{N}]?\p{L}+`,
    /// `\p{N}{1,3}`, ` ?[^\s\p{L}\p{N}]+[\r\n]*`, `\s*[\r\n]+`, `\s+(?!\S)`, `\s+`.
    @inline(__always)
    func cl100kPieceEnd(from start: Int) -> Int {
        let first = scalar(at: start)
        let next = start + first.length
        if first.value == Self.apostrophe, let length = contractionLength(at: next, ignoringCase: true) {
            return next + length
        }
        switch first.kind {
        case .letter:
            return runEnd(from: next, of: .letter)
        case .number:
            var end = next
            var count = 1
            while count < 3, end < bytes.count {
                let following = scalar(at: end)
                guard following.kind == .number else { break }
                end += following.length
                count += 1
            }
            return end
        case .space, .other:
            if next < bytes.count {
                let second = scalar(at: next)
                if second.kind == .letter { return runEnd(from: next + second.length, of: .letter) }
                if first.kind == .other { return newlinesEnd(from: runEnd(from: next, of: .other)) }
                if first.value == Self.space && second.kind == .other {
                    return newlinesEnd(from: runEnd(from: next + second.length, of: .other))
                }
            } else if first.kind == .other {
                return next
            }
            return whitespaceEnd(from: start, newlinesEndMatch: true)
        case .newline:
            return whitespaceEnd(from: start, newlinesEndMatch: true)
        }
    }

    /// Alternatives in order: `'s|'t|'re|'ve|'m|'ll|'d`, ` ?\p{L}+`, ` ?\p{N}+`,
    /// ` ?[^\s\p{L}\p{N}]+`, `\s+(?!\S)`, `\s+`.
    @inline(__always)
    func gpt2PieceEnd(from start: Int) -> Int {
        let first = scalar(at: start)
        let next = start + first.length
        if first.value == Self.apostrophe, let length = contractionLength(at: next, ignoringCase: false) {
            return next + length
        }
        if first.value == Self.space, next < bytes.count {
            let second = scalar(at: next)
            if second.kind != .space && second.kind != .newline {
                return runEnd(from: next + second.length, of: second.kind)
            }
        }
        switch first.kind {
        case .letter, .number, .other: return runEnd(from: next, of: first.kind)
        case .space, .newline: return whitespaceEnd(from: start, newlinesEndMatch: false)
        }
    }

    /// The length of a contraction suffix (`s`, `t`, `re`, `ve`, `m`, `ll`, `d`) at `index`.
    ///
    /// Ignoring case follows Unicode simple case folding, under which `ſ` (U+017F) matches `s`.
    @inline(__always)
    private func contractionLength(at index: Int, ignoringCase: Bool) -> Int? {
        guard index < bytes.count else { return nil }
        let fold: UInt8 = ignoringCase ? 0x20 : 0
        let letter = bytes[index] | fold
        switch letter {
        case UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "m"), UInt8(ascii: "d"):
            return 1
        case UInt8(ascii: "r"), UInt8(ascii: "v"):
            return index + 1 < bytes.count && bytes[index + 1] | fold == UInt8(ascii: "e") ? 2 : nil
        case UInt8(ascii: "l"):
            return index + 1 < bytes.count && bytes[index + 1] | fold == UInt8(ascii: "l") ? 2 : nil
        default:
            let isLongS = ignoringCase && bytes[index] == 0xC5 && index + 1 < bytes.count && bytes[index + 1] == 0xBF
            return isLongS ? 2 : nil
        }
    }

    /// The end of the run of scalars of class `kind` that starts at `index`.
    @inline(__always)
    private func runEnd(from index: Int, of kind: PreTokenizerCharacterClass) -> Int {
        var end = index
        while end < bytes.count {
            let byte = bytes[end]
            if byte < 0x80 {
                guard PreTokenizerCharacterClass.of(UInt32(byte)) == kind else { break }
                end += 1
            } else {
                let following = scalar(at: end)
                guard following.kind == kind else { break }
                end += following.length
            }
        }
        return end
    }

    /// The end of `[\r\n]*` at `index`.
    @inline(__always)
    private func newlinesEnd(from index: Int) -> Int {
        var end = index
        while end < bytes.count, bytes[end] == 0x0A || bytes[end] == 0x0D { end += 1 }
        return end
    }

    /// The end of the white-space match at `start`: with `newlinesEndMatch`, `\s*[\r\n]+` (up to
    /// the last newline of the run) when the run holds a newline; then `\s+(?!\S)` (the run, less
    /// its last scalar when a non-space follows and the run is longer than one); else `\s+`.
    @inline(__always)
    private func whitespaceEnd(from start: Int, newlinesEndMatch: Bool) -> Int {
        var end = start
        var lastNewlineEnd = -1
        var lastScalarStart = start
        var count = 0
        while end < bytes.count {
            let following = scalar(at: end)
            guard following.kind.isWhitespace else { break }
            lastScalarStart = end
            end += following.length
            if following.kind == .newline { lastNewlineEnd = end }
            count += 1
        }
        if newlinesEndMatch && lastNewlineEnd >= 0 { return lastNewlineEnd }
        if end < bytes.count && count > 1 { return lastScalarStart }
        return end
    }
}
