import Tokenization

/// A context and a continuation in tokens, split as lm-evaluation-harness splits them
/// (`TemplateLM._encode_pair`, causal models): white space at the end of the context moves to
/// the front of the continuation; then the context alone and context + continuation are
/// encoded (no special tokens added), and the continuation is what the whole has past the
/// context's token count. So the continuation's first token may merge with its white space
/// exactly as in running text.
struct ContinuationEncoding: Equatable {
    let context: [UInt32]
    let continuation: [UInt32]

    init(context: [UInt32], continuation: [UInt32]) {
        self.context = context
        self.continuation = continuation
    }

    /// Encodes `continuation` after `context` (which must not be empty, as in lm-eval).
    init(context: String, continuation: String, tokenizer: Tokenizer) {
        let (context, continuation) = Self.movingTrailingWhiteSpace(context: context, continuation: continuation)
        let whole = tokenizer.encode(context + continuation)
        self.context = tokenizer.encode(context)
        self.continuation = Array(whole.dropFirst(self.context.count))
    }

    /// `context` without its trailing white space, and that white space followed by
    /// `continuation` (Python's `str.rstrip()`, in code points).
    static func movingTrailingWhiteSpace(context: String, continuation: String) -> (context: String, continuation: String) {
        let scalars = Array(context.unicodeScalars)
        var end = scalars.count
        while end > 0 && isPythonSpace(scalars[end - 1]) { end -= 1 }
        guard end < scalars.count else { return (context, continuation) }
        var head = String.UnicodeScalarView()
        head.append(contentsOf: scalars[..<end])
        var tail = String.UnicodeScalarView()
        tail.append(contentsOf: scalars[end...])
        return (String(head), String(tail) + continuation)
    }

    /// Python's `str.isspace()` for one code point: Unicode White_Space plus the information
    /// separators U+001C–U+001F, which Python counts as space (bidirectional class B or S).
    static func isPythonSpace(_ scalar: Unicode.Scalar) -> Bool {
        (0x1C...0x1F).contains(scalar.value) || scalar.properties.isWhitespace
    }
}
