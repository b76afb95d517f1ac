import Tokenization

/// Turns generated tokens into text as they come, emitting only complete UTF-8: a character whose
/// bytes are split across tokens (byte-level BPE does that to most non-ASCII text) comes out
/// whole, with the token that completes it.
///
/// The texts `append` and `finish` return, joined, equal decoding all the tokens' bytes at once
/// (`String(decoding:as:)`, malformed bytes as U+FFFD). Ids outside the vocabulary decode to
/// nothing, as in `tokenizers`.
public struct IncrementalDetokenizer: Sendable {
    private let tokenizer: Tokenizer
    /// Whether special added tokens (`<|endoftext|>`) are left out of the text.
    public let skippingSpecialTokens: Bool
    /// Bytes of a character not yet complete (at most three).
    private var pending: [UInt8] = []

    /// A detokenizer; by default special tokens are kept in the text, so a layer above can still
    /// see markers such as `<think>`.
    public init(tokenizer: Tokenizer, skippingSpecialTokens: Bool = false) {
        self.tokenizer = tokenizer
        self.skippingSpecialTokens = skippingSpecialTokens
    }

    /// Adds `token` and returns the complete text not returned before (empty while a character
    /// is still incomplete).
    public mutating func append(_ token: UInt32) -> String {
        pending += (try? tokenizer.decode(CollectionOfOne(token), skippingSpecialTokens: skippingSpecialTokens)) ?? []
        let end = Self.completePrefixLength(pending)
        let text = String(decoding: pending[..<end], as: UTF8.self)
        pending.removeFirst(end)
        return text
    }

    /// Returns what is left: the bytes of an unfinished character, as U+FFFD.
    public mutating func finish() -> String {
        defer { pending = [] }
        return String(decoding: pending, as: UTF8.self)
    }

    /// The length of `bytes` without a trailing character that more bytes could still complete.
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        // The last byte that is not a continuation byte (10xxxxxx) starts the last character.
        var start = bytes.count - 1
        while start >= 0 && start > bytes.count - 4 && bytes[start] & 0xC0 == 0x80 { start -= 1 }
        guard start >= 0 else { return bytes.count }
        let expected =
            switch bytes[start] {
            case 0xC2...0xDF: 2
            case 0xE0...0xEF: 3
            case 0xF0...0xF4: 4
            default: 1
            }
        return bytes.count - start < expected ? start : bytes.count
    }
}
