import FactoryCore
import Foundation

/// Computes MinHash signatures over the word n-grams of simplified text.
///
/// Each n-gram is hashed to 64 bits (FNV-1a over its UTF-8 words); hash function `i` is the
/// SplitMix64 finalizer applied to the n-gram hash XOR a per-function key drawn from
/// ``MinHashParameters/seed``, so signatures are the same on every machine and run.
public struct MinHasher: Sendable {
    /// The scheme's parameters.
    public let parameters: MinHashParameters
    private let keys: [UInt64]

    /// Creates a hasher whose hash functions are drawn from `parameters.seed`.
    public init(parameters: MinHashParameters) {
        self.parameters = parameters
        let stream = RandomStream(seed: parameters.seed).split("minhash")
        keys = (0..<parameters.signatureLength).map { stream.word(at: UInt64($0)) }
    }

    /// The 64-bit hashes of the word n-grams of `text` after ``TextNormalization/simplifiedWords(_:)``;
    /// a text shorter than one n-gram is a single shingle of all its words, an empty text has none.
    func shingleHashes(of text: String) -> [UInt64] {
        var words = [UInt64]()
        TextNormalization.forEachSimplifiedWord(in: text) { words.append(StableHash.fnv1a($0)) }
        guard !words.isEmpty else { return [] }
        let n = min(parameters.ngramSize, words.count)
        return (0...(words.count - n)).map { start in
            var hash = StableHash.fnvOffsetBasis
            for word in words[start..<(start + n)] { hash = StableHash.mix(hash ^ word) }
            return hash
        }
    }

    /// The signature of `text`: for each hash function, the least hash over its n-grams.
    func signature(of text: String) -> [UInt64] {
        signature(ofShingles: shingleHashes(of: text))
    }

    /// The signatures of `texts`, computed in parallel over the machine's cores; the result is
    /// the same as mapping ``signature(of:)`` over them.
    func signatures(of texts: [String]) -> [[UInt64]] {
        var result = [[UInt64]](repeating: [], count: texts.count)
        let stripes = min(texts.count, ProcessInfo.processInfo.activeProcessorCount * 4)
        guard stripes > 0 else { return result }
        result.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let output = buffer
            DispatchQueue.concurrentPerform(iterations: stripes) { stripe in
                for index in stride(from: stripe, to: texts.count, by: stripes) { output[index] = signature(of: texts[index]) }
            }
        }
        return result
    }

    /// The signature of a set of shingle hashes (all `UInt64.max` for an empty set).
    func signature(ofShingles shingles: [UInt64]) -> [UInt64] {
        var signature = [UInt64](repeating: .max, count: keys.count)
        keys.withUnsafeBufferPointer { keys in
            signature.withUnsafeMutableBufferPointer { minima in
                for shingle in shingles {
                    for index in 0..<keys.count {
                        let hash = StableHash.mix(shingle ^ keys[index])
                        if hash < minima[index] { minima[index] = hash }
                    }
                }
            }
        }
        return signature
    }

    /// The fraction of equal positions of two signatures: an estimate of the Jaccard similarity.
    static func estimatedSimilarity(_ lhs: [UInt64], _ rhs: [UInt64]) -> Double {
        precondition(lhs.count == rhs.count && !lhs.isEmpty, "signatures must have the same nonzero length")
        return Double(zip(lhs, rhs).filter { $0 == $1 }.count) / Double(lhs.count)
    }
}
