import FactoryCore
import FactoryNumerics
import Foundation

/// Hashes the word and character n-grams of a text into a fixed number of features (the hashing
/// trick): each n-gram's 64-bit hash, tagged by its kind and order, picks one of
/// ``QualityFeatureConfig/hashedDimension`` slots.
///
/// A slot's value is `log(1 + occurrences)`, and the vector is scaled to unit Euclidean length,
/// so that long and short documents are comparable. Output entries are in index order and the
/// result is a pure function of the text and the configuration.
struct FeatureHasher: Sendable {
    /// The n-gram orders and the dimension.
    let config: QualityFeatureConfig
    private let shift: UInt64
    private let characterOrderMask: [Bool]
    private let longestCharacterNgram: Int

    /// Creates a hasher for `config` (validated by the caller).
    init(config: QualityFeatureConfig) {
        self.config = config
        shift = UInt64(64 - config.dimensionBits)
        longestCharacterNgram = config.characterNgrams.max() ?? 0
        characterOrderMask = (0...longestCharacterNgram).map { config.characterNgrams.contains($0) }
    }

    /// Reusable working memory for ``features(of:scratch:)``: one per thread.
    struct Scratch {
        fileprivate var counts: [Float]
        fileprivate var touched = [Int32]()
        fileprivate var normalized = [UInt8]()
        fileprivate var wordHashes = [UInt64]()

        /// Working memory for `hasher`'s dimension.
        init(for hasher: FeatureHasher) {
            counts = [Float](repeating: 0, count: hasher.config.hashedDimension)
        }
    }

    /// The hashed n-gram features of UTF-8 text.
    func features(of text: UnsafeBufferPointer<UInt8>, scratch: inout Scratch) -> SparseVector {
        precondition(scratch.counts.count == config.hashedDimension, "scratch made for another dimension")
        normalize(text, into: &scratch.normalized)
        scratch.touched.removeAll(keepingCapacity: true)
        scratch.counts.withUnsafeMutableBufferPointer { counts in
            var touched = scratch.touched
            defer { scratch.touched = touched }
            func add(_ hash: UInt64) {
                let slot = Int(StableHash.mix(hash) >> shift)
                if counts[slot] == 0 { touched.append(Int32(slot)) }
                counts[slot] += 1
            }
            scratch.normalized.withUnsafeBufferPointer { bytes in
                hashCharacterNgrams(bytes, add)
                hashWords(bytes, into: &scratch.wordHashes)
            }
            for order in config.wordNgrams where scratch.wordHashes.count >= order {
                let tag = 0x5752_4400 | UInt64(order)  // "WRD" + order
                for start in 0...(scratch.wordHashes.count - order) {
                    var hash = tag
                    for word in scratch.wordHashes[start..<(start + order)] { hash = StableHash.mix(hash ^ word) }
                    add(hash)
                }
            }
        }
        scratch.touched.sort()
        var values = [Float]()
        values.reserveCapacity(scratch.touched.count)
        var squares = 0.0
        for slot in scratch.touched {
            let value = Foundation.log1p(Double(scratch.counts[Int(slot)]))
            squares += value * value
            values.append(Float(value))
            scratch.counts[Int(slot)] = 0
        }
        let scale = squares > 0 ? Float(1 / squares.squareRoot()) : 0
        for entry in values.indices { values[entry] *= scale }
        return SparseVector(indices: scratch.touched, values: values)
    }

    /// ASCII lowercased, every run of ASCII whitespace as one space, no leading or trailing space.
    private func normalize(_ text: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        out.reserveCapacity(text.count)
        var pendingSpace = false
        for byte in text {
            if QualitySignals.isASCIIWhitespace(byte) {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.append(0x20) }
            pendingSpace = false
            out.append((UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte)
        }
    }

    /// Every character n-gram of the configured orders: FNV-1a over the n-gram's bytes, tagged by order.
    private func hashCharacterNgrams(_ bytes: UnsafeBufferPointer<UInt8>, _ add: (UInt64) -> Void) {
        guard longestCharacterNgram > 0 else { return }
        for start in 0..<bytes.count {
            var hash = StableHash.fnvOffsetBasis
            let end = min(bytes.count, start + longestCharacterNgram)
            for position in start..<end {
                hash = StableHash.fnv1a(hash, bytes[position])
                let order = position - start + 1
                if characterOrderMask[order] { add(hash &+ 0x4348_5200 &+ UInt64(order)) }  // "CHR" + order
            }
        }
    }

    /// The hashes of the words: maximal runs of ASCII letters, digits and non-ASCII bytes.
    private func hashWords(_ bytes: UnsafeBufferPointer<UInt8>, into hashes: inout [UInt64]) {
        hashes.removeAll(keepingCapacity: true)
        var hash = StableHash.fnvOffsetBasis
        var inWord = false
        for byte in bytes {
            let isWordByte = byte >= 0x80 || QualitySignals.isASCIILetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            if isWordByte {
                hash = StableHash.fnv1a(hash, byte)
                inWord = true
            } else if inWord {
                hashes.append(hash)
                hash = StableHash.fnvOffsetBasis
                inWord = false
            }
        }
        if inWord { hashes.append(hash) }
    }
}
