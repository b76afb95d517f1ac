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

    /// The most hash functions in a signature (`bands × rows`): every document's signature costs
    /// 8 bytes and one pass over its n-grams per function (datatrove's default is 112).
    public static let maxSignatureLength = 65_536
    /// The most words per shingle.
    public static let maxNgramSize = 1024

    /// A setting of the scheme, as configurations name it.
    public enum Field: String, Sendable {
        case bands, rows
        case ngramSize = "ngram_size"
    }

    /// The first problem with these sizes, or `nil`: each must be at least 1, `ngramSize` at
    /// most ``maxNgramSize`` and `bands × rows` at most ``maxSignatureLength``.
    public static func problem(bands: Int, rows: Int, ngramSize: Int) -> (field: Field, message: String)? {
        for (field, value) in [(Field.bands, bands), (.rows, rows), (.ngramSize, ngramSize)] where value < 1 {
            return (field, "must be at least 1, found \(value)")
        }
        if ngramSize > maxNgramSize { return (.ngramSize, "must be at most \(maxNgramSize) words, found \(ngramSize)") }
        guard let length = MemoryBudget.product(bands, rows), length <= maxSignatureLength else {
            return (
                .bands,
                "\(bands) bands × \(rows) rows is more than \(maxSignatureLength) hash functions per document (each costs 8 bytes per document; 14 × 8 is the usual choice)"
            )
        }
        return nil
    }

    /// Creates parameters; the defaults are datatrove's (14 bands × 8 rows over word 5-grams).
    ///
    /// - Throws: ``FactoryError/invalidArgument(name:message:)`` naming the field (`minhash.bands`)
    ///   for a size outside ``problem(bands:rows:ngramSize:)``'s bounds.
    public init(bands: Int = 14, rows: Int = 8, ngramSize: Int = 5, seed: UInt64 = 1) throws {
        if case (let field, let message)? = Self.problem(bands: bands, rows: rows, ngramSize: ngramSize) {
            throw FactoryError.invalidArgument(name: "minhash.\(field.rawValue)", message: message)
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
