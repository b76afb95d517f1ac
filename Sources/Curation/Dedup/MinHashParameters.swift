import FactoryCore
import Foundation

/// The shape of a MinHash locality-sensitive hashing scheme: word n-gram size, bands × rows
/// hash functions and the seed the hash functions are drawn from.
///
/// Two documents whose n-gram sets have Jaccard similarity `s` share at least one band bucket
/// with probability `1 − (1 − s^rows)^bands` (``collisionProbability(similarity:)``).
public struct MinHashParameters: Equatable, Sendable {
    /// LSH bands.
    public let bands: Int
    /// Hash functions per band.
    public let rows: Int
    /// Words per shingle.
    public let ngramSize: Int
    /// The seed of the hash functions.
    public let seed: UInt64

    /// Creates parameters; the defaults are datatrove's (14 bands × 8 rows over word 5-grams).
    ///
    /// - Throws: ``FactoryError/invalidArgument(name:message:)`` naming the field when a size is
    ///   not positive.
    public init(bands: Int = 14, rows: Int = 8, ngramSize: Int = 5, seed: UInt64 = 1) throws {
        for (name, value) in [("bands", bands), ("rows", rows), ("ngram_size", ngramSize)] where value < 1 {
            throw FactoryError.invalidArgument(name: "minhash.\(name)", message: "must be at least 1, got \(value)")
        }
        self.bands = bands
        self.rows = rows
        self.ngramSize = ngramSize
        self.seed = seed
    }

    /// The number of hash functions in a signature (`bands × rows`).
    var signatureLength: Int { bands * rows }

    /// The probability that two documents with n-gram Jaccard similarity `similarity` share a bucket.
    func collisionProbability(similarity: Double) -> Double {
        1 - Foundation.pow(1 - Foundation.pow(similarity, Double(rows)), Double(bands))
    }
}
