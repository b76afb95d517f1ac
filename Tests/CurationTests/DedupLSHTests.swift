import FactoryCore
import Foundation
import Testing

@testable import Curation

@Suite struct DedupLSHTests {
    /// Two shingle sets with Jaccard similarity exactly `intersection / union`, drawn from `stream`.
    private func pair(union: Int, intersection: Int, stream: RandomStream) -> ([UInt64], [UInt64]) {
        let values = (0..<union).map { stream.word(at: UInt64($0)) }
        let shared = Array(values[0..<intersection])
        let rest = values[intersection...]
        let half = intersection + (union - intersection) / 2
        return (shared + rest.prefix(half - intersection), shared + rest.dropFirst(half - intersection))
    }

    /// The fraction of synthetic pairs at each similarity sharing a bucket matches
    /// `1 − (1 − s^r)^b` within four binomial standard deviations.
    @Test(arguments: [0.5, 0.6, 0.7, 0.8, 0.9])
    func collisionRateFollowsTheLSHCurve(similarity: Double) throws {
        let parameters = try MinHashParameters()
        let hasher = MinHasher(parameters: parameters)
        let unionSize = 40
        let intersection = Int((similarity * Double(unionSize)).rounded())
        let trials = 300
        var collisions = 0
        var estimateError = 0.0
        let stream = RandomStream(seed: 42).split("lsh", Int(similarity * 100))
        for trial in 0..<trials {
            let (a, b) = pair(union: unionSize, intersection: intersection, stream: stream.split(trial))
            let signatures = [hasher.signature(ofShingles: a), hasher.signature(ofShingles: b)]
            var sets = MinHashLSH.cluster(signatures, parameters: parameters)
            let (first, second) = (sets.find(0), sets.find(1))
            if first == second { collisions += 1 }
            estimateError += MinHasher.estimatedSimilarity(signatures[0], signatures[1]) - similarity
        }
        let expected = parameters.collisionProbability(similarity: similarity)
        let observed = Double(collisions) / Double(trials)
        let sigma = (expected * (1 - expected) / Double(trials)).squareRoot()
        #expect(abs(observed - expected) <= 4 * sigma + 0.01, "s=\(similarity): observed \(observed), expected \(expected)")
        // The mean MinHash estimate of Jaccard similarity is unbiased (112 hashes, 300 pairs).
        let estimateSigma = (similarity * (1 - similarity) / Double(parameters.signatureLength * trials)).squareRoot()
        #expect(abs(estimateError / Double(trials)) <= 4 * estimateSigma + 0.002)
    }
}
