/// Encodes text with one ``Tokenizer`` on one thread, remembering the tokens of frequent
/// pre-tokens so that each distinct word is merged once.
///
/// The cache only saves work: output never depends on what it holds. Not thread-safe; make one
/// encoder per thread (they are cheap).
struct TokenizerEncoder {
    /// The tokenizer this encoder applies.
    let tokenizer: Tokenizer
    private let model: BPEModel
    private let preTokenizer: PreTokenizer

    /// Pre-tokens longer than this are merged every time (long pieces rarely repeat).
    private static let longestCachedPiece = 48
    /// The cache (which starts small and grows) is emptied when it holds this many pieces.
    private static let cacheCapacity = 1 << 16

    private var cache = BPEByteKeyTable(capacity: 1024)
    private var cachedTokens = [UInt32]()
    private var symbols = [UInt32]()
    private var merger = BPEMerger()

    /// An encoder for `tokenizer`.
    init(tokenizer: Tokenizer) {
        self.tokenizer = tokenizer
        self.model = tokenizer.model
        self.preTokenizer = tokenizer.preTokenizer
    }

    /// The tokens of `text`; see ``Tokenizer/encode(_:matchingAddedTokens:)``.
    mutating func encode(_ text: String, matchingAddedTokens: Bool = true) -> [UInt32] {
        var output = [UInt32]()
        output.reserveCapacity(text.utf8.count / 3)
        encode(text, matchingAddedTokens: matchingAddedTokens, into: &output)
        return output
    }

    /// Appends the tokens of `text` to `output`.
    mutating func encode(_ text: String, matchingAddedTokens: Bool = true, into output: inout [UInt32]) {
        var text = text
        text.withUTF8 { bytes in
            encodeWellFormed(bytes, matchingAddedTokens: matchingAddedTokens, into: &output)
        }
    }

    /// Appends the tokens of arbitrary bytes to `output`: stretches of well-formed UTF-8 are
    /// encoded as text (added tokens are not matched), and every byte of malformed UTF-8 becomes
    /// its own single-byte piece, so that decoding gives the bytes back exactly.
    mutating func encode(bytes: [UInt8], into output: inout [UInt32]) {
        bytes.withUnsafeBufferPointer { bytes in
            var start = 0
            var index = 0
            while index < bytes.count {
                let length = TokenizerUTF8.validScalarLength(bytes, at: index)
                if length > 0 {
                    index += length
                    continue
                }
                encodeOrdinary(UnsafeBufferPointer(rebasing: bytes[start..<index]), into: &output)
                encodePiece(UnsafeBufferPointer(rebasing: bytes[index..<(index + 1)]), into: &output)
                index += 1
                start = index
            }
            encodeOrdinary(UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]), into: &output)
        }
    }

    private mutating func encodeWellFormed(
        _ bytes: UnsafeBufferPointer<UInt8>, matchingAddedTokens: Bool, into output: inout [UInt32]
    ) {
        guard matchingAddedTokens, !tokenizer.addedTokenMatcher.isEmpty else {
            encodeOrdinary(bytes, into: &output)
            return
        }
        tokenizer.addedTokenMatcher.forEachSegment(of: bytes) { range, id in
            if let id {
                output.append(id)
            } else {
                encodeOrdinary(UnsafeBufferPointer(rebasing: bytes[range]), into: &output)
            }
        }
    }

    /// Pre-tokenizes well-formed UTF-8 and encodes every piece.
    private mutating func encodeOrdinary(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [UInt32]) {
        var start = 0
        while start < bytes.count {
            let end = preTokenizer.pieceEnd(in: bytes, from: start)
            encodePiece(UnsafeBufferPointer(rebasing: bytes[start..<end]), into: &output)
            start = end
        }
    }

    @inline(__always)
    private mutating func encodePiece(_ piece: UnsafeBufferPointer<UInt8>, into output: inout [UInt32]) {
        if piece.count == 1 {
            output.append(model.byteTokens[Int(piece[0])])
            return
        }
        guard piece.count <= Self.longestCachedPiece else {
            model.encode(piece: piece, symbols: &symbols, merger: &merger, into: &output)
            return
        }
        if let entry = cache.find(piece) {
            let packed = cache.values[entry]
            let start = Int(packed >> 32)
            output.append(contentsOf: cachedTokens[start..<(start + Int(packed & 0xFFFF_FFFF))])
            return
        }
        let first = output.count
        model.encode(piece: piece, symbols: &symbols, merger: &merger, into: &output)
        if cache.count >= Self.cacheCapacity {
            cache.removeAll()
            cachedTokens.removeAll(keepingCapacity: true)
        }
        cache.insert(piece, value: UInt64(cachedTokens.count) << 32 | UInt64(output.count - first))
        cachedTokens.append(contentsOf: output[first...])
    }
}
