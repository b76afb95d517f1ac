/// The byte-level BPE model proper: how the bytes of one pre-token become token ids.
///
/// Each byte starts as its own token; merges then apply by rank (``BPEMerger``). With
/// `ignoreMerges` (as tiktoken does, and `tokenizer.json`'s `ignore_merges`), a pre-token that
/// is itself in the vocabulary becomes that token directly. A byte without a vocabulary entry
/// (possible only in foreign vocabularies) becomes the unknown token when there is one (runs of
/// them fused into one with `fuseUnknown`) and is dropped otherwise, as `tokenizers` does.
struct BPEModel: Sendable {
    /// Marks a byte that has no token.
    static let missing = UInt32.max

    /// The token of each single byte, or ``missing``.
    let byteTokens: [UInt32]
    /// Merge ranks and results.
    let mergeTable: BPEMergeTable
    /// Token ids by their bytes, for `ignoreMerges`.
    let vocabularyLookup: BPEByteKeyTable
    /// Whether a pre-token found whole in the vocabulary skips merging.
    let ignoreMerges: Bool
    /// The token for bytes without one, if any.
    let unknownToken: UInt32?
    /// Whether consecutive unknown bytes become one unknown token.
    let fuseUnknown: Bool

    /// Appends the tokens of `piece` to `output`, using `symbols` and `merger` as scratch.
    @inline(__always)
    func encode(
        piece: UnsafeBufferPointer<UInt8>, symbols: inout [UInt32], merger: inout BPEMerger,
        into output: inout [UInt32]
    ) {
        if ignoreMerges, let entry = vocabularyLookup.find(piece) {
            output.append(UInt32(truncatingIfNeeded: vocabularyLookup.values[entry]))
            return
        }
        symbols.removeAll(keepingCapacity: true)
        var previousWasUnknown = false
        for byte in piece {
            let token = byteTokens[Int(byte)]
            if token != Self.missing {
                symbols.append(token)
                previousWasUnknown = false
            } else if let unknownToken, !(fuseUnknown && previousWasUnknown) {
                symbols.append(unknownToken)
                previousWasUnknown = true
            }
        }
        merger.merge(&symbols, table: mergeTable)
        output.append(contentsOf: symbols)
    }
}
