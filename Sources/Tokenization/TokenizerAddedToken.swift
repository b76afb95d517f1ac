/// A token matched whole in the input text before pre-tokenization (`<|endoftext|>`, `<|pad|>`),
/// as `tokenizer.json`'s `added_tokens` describe them.
public struct TokenizerAddedToken: Hashable, Sendable {
    /// The token id.
    public var id: UInt32
    /// The exact text that stands for the token.
    public var content: String
    /// Whether it is a control token (skipped by decoding when asked to skip special tokens).
    public var special: Bool
    /// Whether `tokenizers` matches it after normalization (always equivalent here: the factory's
    /// tokenizers have no normalizer); such tokens are matched after the non-normalized ones.
    public var normalized: Bool

    /// An added token; special tokens are matched before normalization by default.
    public init(id: UInt32, content: String, special: Bool = true, normalized: Bool? = nil) {
        self.id = id
        self.content = content
        self.special = special
        self.normalized = normalized ?? !special
    }
}

/// Finds added tokens in text the way `tokenizers` does: first the tokens matched before
/// normalization, leftmost-longest, then the normalized ones in the text between those.
struct TokenizerAddedTokenMatcher: Sendable {
    private struct Group: Sendable {
        /// Candidates by first byte, longest first.
        var byFirstByte: [[(bytes: [UInt8], id: UInt32)]] = Array(repeating: [], count: 256)
        var isEmpty = true

        mutating func add(_ token: TokenizerAddedToken) {
            let bytes = Array(token.content.utf8)
            guard let first = bytes.first else { return }
            byFirstByte[Int(first)].append((bytes, token.id))
            byFirstByte[Int(first)].sort { $0.bytes.count > $1.bytes.count }
            isEmpty = false
        }

        /// The leftmost-longest match at or after `start` and before `end`.
        func firstMatch(in text: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> (range: Range<Int>, id: UInt32)? {
            var position = start
            while position < end {
                for candidate in byFirstByte[Int(text[position])] where position + candidate.bytes.count <= end {
                    if candidate.bytes.indices.allSatisfy({ text[position + $0] == candidate.bytes[$0] }) {
                        return (position..<(position + candidate.bytes.count), candidate.id)
                    }
                }
                position += 1
            }
            return nil
        }
    }

    private var groups: [Group]

    /// A matcher for `tokens`; tokens with empty content never match.
    init(tokens: [TokenizerAddedToken]) {
        var raw = Group()
        var normalized = Group()
        for token in tokens {
            if token.normalized { normalized.add(token) } else { raw.add(token) }
        }
        groups = [raw, normalized].filter { !$0.isEmpty }
    }

    /// Whether there is nothing to match.
    var isEmpty: Bool { groups.isEmpty }

    /// Calls `body` for each stretch of `text` in order: ordinary text with `nil`, or an added
    /// token's range with its id.
    func forEachSegment(
        of text: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>, UInt32?) -> Void
    ) {
        segment(text, range: 0..<text.count, group: 0, body)
    }

    private func segment(
        _ text: UnsafeBufferPointer<UInt8>, range: Range<Int>, group: Int, _ body: (Range<Int>, UInt32?) -> Void
    ) {
        guard !range.isEmpty else { return }
        guard group < groups.count else {
            body(range, nil)
            return
        }
        var start = range.lowerBound
        while let match = groups[group].firstMatch(in: text, from: start, to: range.upperBound) {
            segment(text, range: start..<match.range.lowerBound, group: group + 1, body)
            body(match.range, match.id)
            start = match.range.upperBound
        }
        segment(text, range: start..<range.upperBound, group: group + 1, body)
    }
}
