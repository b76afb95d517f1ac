import FactoryCore

/// A byte-level BPE tokenizer: a pre-tokenizer pattern, a vocabulary, ranked merges and added
/// tokens, interchangeable with Hugging Face `tokenizer.json` (see ``load(path:)`` and
/// ``save(toPath:)``).
///
/// Immutable and `Sendable`: share one across threads and give each thread its own
/// ``TokenizerEncoder`` (which holds the caches).
public struct Tokenizer: Sendable {
    /// How text is cut into pre-tokens.
    public let preTokenizer: PreTokenizer
    /// The merges in rank order (rank 0 first).
    public let merges: [BPEMerge]
    /// Tokens matched whole in text, in `tokenizer.json` order.
    public let addedTokens: [TokenizerAddedToken]
    /// Whether a pre-token found whole in the vocabulary skips merging (`ignore_merges`).
    public let ignoreMerges: Bool
    /// The unknown token's vocabulary string (`unk_token`), kept for writing the file back; never
    /// produced, since every byte has a token.
    let unknownToken: String?
    /// `fuse_unk`, kept for writing the file back.
    let fuseUnknown: Bool
    /// The model vocabulary in `tokenizer.json` form (byte-level strings), by id; `nil` for ids
    /// the model vocabulary does not use.
    public let vocabulary: [String?]

    let model: BPEModel
    let addedTokenMatcher: TokenizerAddedTokenMatcher
    /// What each id decodes to; empty for unused ids.
    let tokenBytes: [[UInt8]]
    /// Whether each id is a special added token.
    let isSpecial: [Bool]
    /// Whether each id is in use.
    let isAssigned: [Bool]

    /// Assembles a tokenizer; every problem is reported as a configuration error in `source`.
    ///
    /// - Parameters:
    ///   - vocabulary: the model vocabulary by id (byte-level strings).
    ///   - merges: merges in rank order; the token a merge makes is the vocabulary entry of the
    ///     two strings joined, which must exist.
    ///   - source: the file (or a description) named in errors.
    init(
        pattern: PreTokenizerPattern, vocabulary: [String?], merges: [BPEMerge],
        addedTokens: [TokenizerAddedToken], ignoreMerges: Bool, unknownToken: String?,
        fuseUnknown: Bool, source: String
    ) throws {
        var idsByString = [String: UInt32](minimumCapacity: vocabulary.count)
        for (id, string) in vocabulary.enumerated() {
            guard let string else { continue }
            if idsByString[string] != nil {
                throw FactoryError.config(
                    file: source, keyPath: "model.vocab", line: nil, message: "token '\(string)' appears twice")
            }
            idsByString[string] = UInt32(id)
        }
        let size = max(vocabulary.count, Int(addedTokens.map(\.id).max().map { $0 + 1 } ?? 0))
        var tokenBytes = [[UInt8]](repeating: [], count: size)
        var isAssigned = [Bool](repeating: false, count: size)
        var isSpecial = [Bool](repeating: false, count: size)
        for token in addedTokens {
            tokenBytes[Int(token.id)] = Array(token.content.utf8)
            isAssigned[Int(token.id)] = true
            isSpecial[Int(token.id)] = token.special
        }
        var lookup = BPEByteKeyTable(capacity: vocabulary.count)
        for (id, string) in vocabulary.enumerated() {
            guard let string else { continue }
            let decoded = ByteLevel.decode(string)
            if let decoded {
                decoded.withUnsafeBufferPointer { bytes in
                    if lookup.find(bytes) == nil { lookup.insert(bytes, value: UInt64(id)) }
                }
            }
            guard !isAssigned[id] else { continue }
            guard let decoded else {
                throw FactoryError.config(
                    file: source, keyPath: "model.vocab", line: nil,
                    message: "token '\(string)' (id \(id)) is not a byte-level string and not an added token")
            }
            tokenBytes[id] = decoded
            isAssigned[id] = true
        }
        var merged = [UInt32]()
        merged.reserveCapacity(merges.count)
        for (rank, merge) in merges.enumerated() {
            guard Int(merge.left) < vocabulary.count, let left = vocabulary[Int(merge.left)],
                Int(merge.right) < vocabulary.count, let right = vocabulary[Int(merge.right)]
            else {
                throw FactoryError.config(
                    file: source, keyPath: "model.merges[\(rank)]", line: nil,
                    message: "merge of ids \(merge.left) and \(merge.right) names a token outside the vocabulary")
            }
            guard let id = idsByString[left + right] else {
                throw FactoryError.config(
                    file: source, keyPath: "model.merges[\(rank)]", line: nil,
                    message: "merge '\(left)' + '\(right)' makes '\(left + right)', which is not in the vocabulary")
            }
            merged.append(id)
        }
        if let unknownToken, idsByString[unknownToken] == nil {
            throw FactoryError.config(
                file: source, keyPath: "model.unk_token", line: nil,
                message: "unknown token '\(unknownToken)' is not in the vocabulary")
        }
        let byteTokens = try Self.byteTokens(idsByString: idsByString, source: source)
        self.preTokenizer = PreTokenizer(pattern: pattern)
        self.merges = merges
        self.addedTokens = addedTokens
        self.ignoreMerges = ignoreMerges
        self.unknownToken = unknownToken
        self.fuseUnknown = fuseUnknown
        self.vocabulary = vocabulary
        self.model = BPEModel(
            byteTokens: byteTokens, mergeTable: BPEMergeTable(merges: merges, merged: merged),
            vocabularyLookup: lookup, ignoreMerges: ignoreMerges)
        self.addedTokenMatcher = TokenizerAddedTokenMatcher(tokens: addedTokens)
        self.tokenBytes = tokenBytes
        self.isSpecial = isSpecial
        self.isAssigned = isAssigned
    }

    /// The token of each of the 256 bytes, in byte order.
    ///
    /// - Throws: ``FactoryError/config(file:keyPath:line:message:)`` at `model.vocab` when a byte
    ///   has no token: a byte-level tokenizer without one would drop that byte from every text.
    private static func byteTokens(idsByString: [String: UInt32], source: String) throws -> [UInt32] {
        let tokens = (0..<256).map { idsByString[String(Character(ByteLevel.characters[$0]))] }
        let missing = tokens.indices.filter { tokens[$0] == nil }
        guard missing.isEmpty else {
            let shown = missing.prefix(8).map { byte in
                "'\(ByteLevel.characters[byte])' (byte \(byte < 16 ? "0x0" : "0x")\(String(byte, radix: 16, uppercase: true)))"
            }
            throw FactoryError.config(
                file: source, keyPath: "model.vocab", line: nil,
                message: "a byte-level tokenizer needs a token for each of the 256 bytes; \(missing.count) missing: "
                    + shown.joined(separator: ", ") + (missing.count > shown.count ? ", …" : "")
                    + " (text holding them could not be encoded without losing bytes)")
        }
        return tokens.map { $0! }
    }

    /// The largest token id a `tokenizer.json` may use: 16,777,215, 130 times Llama 3's vocabulary.
    /// Every id up to the largest costs table memory (``bytesPerId``) whether used or not, so a
    /// stray huge id (2147483647) is refused by name instead of allocating tens of gigabytes.
    public static let largestTokenId: UInt32 = (1 << 24) - 1

    /// The table memory each id up to the largest takes, used or not (vocabulary string, bytes,
    /// flags), for the memory estimate made before loading.
    static let bytesPerId = 48

    /// The table memory for ids 0…`largestId`, or `nil` when that overflows.
    static func tableBytes(largestId: Int) -> Int? {
        largestId < Int.max ? MemoryBudget.product(largestId + 1, bytesPerId) : nil
    }

    /// One more than the largest token id: the size of an embedding table for this tokenizer.
    public var vocabularySize: Int { tokenBytes.count }

    /// The id of an added token, by its content (`<|endoftext|>`).
    public func addedTokenId(_ content: String) -> UInt32? {
        addedTokens.first { $0.content == content }?.id
    }

    /// The bytes token `id` stands for, or `nil` when the id is unused or out of range.
    public func bytes(ofToken id: UInt32) -> [UInt8]? {
        guard Int(id) < tokenBytes.count, isAssigned[Int(id)] else { return nil }
        return tokenBytes[Int(id)]
    }

    /// The tokens of `text`. With `matchingAddedTokens` (the default, as `tokenizers` encodes),
    /// added tokens written in the text become their ids; without it they are ordinary text.
    public func encode(_ text: String, matchingAddedTokens: Bool = true) -> [UInt32] {
        var encoder = TokenizerEncoder(tokenizer: self)
        return encoder.encode(text, matchingAddedTokens: matchingAddedTokens)
    }

    /// The tokens of arbitrary bytes, losslessly: stretches of well-formed UTF-8 encode as text
    /// does (without matching added tokens), and each byte of malformed UTF-8 becomes its own
    /// single-byte token, so that ``decode(_:skippingSpecialTokens:)`` gives the bytes back exactly.
    /// On well-formed input the ids equal `encode(text, matchingAddedTokens: false)`.
    public func encode(bytes: [UInt8]) -> [UInt32] {
        var encoder = TokenizerEncoder(tokenizer: self)
        var output = [UInt32]()
        output.reserveCapacity(bytes.count / 3)
        encoder.encode(bytes: bytes, into: &output)
        return output
    }

    /// The bytes of `ids` joined; special added tokens are left out with `skippingSpecialTokens`.
    /// Decoding gives bytes, not text, so every byte string round-trips, malformed UTF-8
    /// included (see ``encode(bytes:)``).
    ///
    /// - Throws: ``FactoryError/invalidArgument(name:message:)`` naming an id outside the vocabulary.
    public func decode<IDs: Sequence>(_ ids: IDs, skippingSpecialTokens: Bool = false) throws -> [UInt8]
    where IDs.Element == UInt32 {
        var bytes = [UInt8]()
        for id in ids {
            guard Int(id) < tokenBytes.count, isAssigned[Int(id)] else {
                throw FactoryError.invalidArgument(
                    name: "token id", message: "\(id) is not in the vocabulary (size \(vocabularySize))")
            }
            if skippingSpecialTokens && isSpecial[Int(id)] { continue }
            bytes.append(contentsOf: tokenBytes[Int(id)])
        }
        return bytes
    }
}
