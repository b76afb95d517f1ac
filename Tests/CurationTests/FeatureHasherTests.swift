import FactoryNumerics
import Foundation
import Testing

@testable import Curation

@Suite struct FeatureHasherTests {
    let config = QualityFeatureConfig(dimensionBits: 12)

    private func features(_ text: String, _ config: QualityFeatureConfig? = nil) -> SparseVector {
        let hasher = FeatureHasher(config: config ?? self.config)
        var scratch = FeatureHasher.Scratch(for: hasher)
        var copy = text
        return copy.withUTF8 { hasher.features(of: $0, scratch: &scratch) }
    }

    @Test func vectorsAreSortedUnitLengthAndReproducible() {
        let text = "The quick brown fox jumps over the lazy dog. The dog sleeps."
        let first = features(text)
        #expect(first == features(text))
        #expect(zip(first.indices, first.indices.dropFirst()).allSatisfy { $0 < $1 })
        #expect(first.indices.allSatisfy { $0 >= 0 && Int($0) < config.hashedDimension })
        let norm = first.values.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        #expect(abs(norm - 1) < 1e-6)
        // Scratch reuse leaves no residue: hashing another text in between changes nothing.
        let hasher = FeatureHasher(config: config)
        var scratch = FeatureHasher.Scratch(for: hasher)
        var other = "something else entirely"
        var copy = text
        _ = other.withUTF8 { hasher.features(of: $0, scratch: &scratch) }
        #expect(copy.withUTF8 { hasher.features(of: $0, scratch: &scratch) } == first)
    }

    @Test func caseAndWhitespaceRunsDoNotMatter() {
        #expect(features("Hello   World\n\nagain") == features("hello world again"))
        #expect(features("hello world") != features("hello, world"))
    }

    @Test func countsMatchANaiveHashOfOneOrder() {
        // Only character 2-grams: "abab" has "ab" twice and "ba" once -> log(3), log(2), normalized.
        let only = QualityFeatureConfig(dimensionBits: 16, wordNgrams: [], characterNgrams: [2])
        let vector = features("abab", only)
        #expect(vector.count == 2)
        let expected = [log(3.0), log(2.0)].map { $0 / (log(3.0) * log(3.0) + log(2.0) * log(2.0)).squareRoot() }
        #expect(Set(vector.values.map { (Double($0) * 1e5).rounded() }) == Set(expected.map { ($0 * 1e5).rounded() }))
    }

    @Test func windowNeverSplitsACharacter() {
        var text = "ab\u{E9}"  // a, b, then é (two bytes)
        text.withUTF8 { bytes in
            #expect(QualityFeatureExtractor.prefix(of: bytes, maxBytes: 3).count == 2)
            #expect(QualityFeatureExtractor.prefix(of: bytes, maxBytes: 4).count == 4)
        }
    }
}
