/// Text for the tokenizer made from bytes that may not be well-formed UTF-8, with a count of what
/// was repaired.
///
/// Each maximal ill-formed subsequence becomes one U+FFFD (Unicode's recommended practice, what
/// `String(decoding:as:)` does), so the ids of such text are those of the repaired text, not of
/// the bytes: decoding them gives U+FFFD back, not the original bytes. ``replacedSequences``
/// counts the replacements so that callers can say so; ``Tokenizer/encode(bytes:)`` keeps every
/// byte instead.
public struct TokenizerInputText: Sendable, Hashable {
    /// The bytes as text, malformed sequences replaced.
    public let text: String
    /// How many ill-formed sequences became U+FFFD (a U+FFFD present in the bytes is not counted).
    public let replacedSequences: Int

    /// `bytes` as text, repaired; one pass over the bytes.
    public init<Bytes: Collection>(decoding bytes: Bytes) where Bytes.Element == UInt8 {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var replaced = 0
        parsing: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid: continue
            case .error: replaced += 1
            case .emptyInput: break parsing
            }
        }
        text = String(decoding: bytes, as: UTF8.self)
        replacedSequences = replaced
    }
}
