/// The byte-level BPE model proper: how the bytes of one pre-token become token ids.
///
/// Each byte starts as its own token; merges then apply by rank (``BPEMerger``). With
/// `ignoreMerges` (as tiktoken does, and `tokenizer.json`'s `ignore_merges`), a pre-token that
/// is itself in the vocabulary becomes that token directly. Every byte has a token (``Tokenizer``
/// refuses vocabularies without all 256), so no byte is ever dropped or unknown.
struct BPEModel: Sendable {
    /// The token of each single byte.
    let byteTokens: [UInt32]
    /// Merge ranks and results.
    let mergeTable: BPEMergeTable
    /// Token ids by their bytes, for `ignoreMerges`.
    let vocabularyLookup: BPEByteKeyTable
    /// Whether a pre-token found whole in the vocabulary skips merging.
    let ignoreMerges: Bool

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
        for byte in piece { symbols.append(byteTokens[Int(byte)]) }
        merger.merge(&symbols, table: mergeTable)
        output.append(contentsOf: symbols)
    }
}
