import Documents
import FactoryCore

/// The quality of one document: both axes, their composite and the heuristic signals of the
/// whole text.
public struct DocumentQuality: Equatable, Sendable {
    /// The probability that the document is clean (noise axis).
    public var clean: Double
    /// The probability that the document is informative (information axis).
    public var information: Double
    /// The composite score.
    public var composite: Double
    /// The heuristic signals of the whole text (for filters and reports).
    public var signals: QualitySignalValues

    /// The metadata key of the composite score.
    static let compositeKey = "quality_composite"

    /// A score or signal as metadata text: six fixed decimals (`0.912345`), the same everywhere.
    public static func format(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 9e12 else { return String(value) }
        let scaled = Int64((abs(value) * 1e6).rounded())
        let fraction = String(scaled % 1_000_000)
        let sign = value < 0 && scaled != 0 ? "-" : ""
        return sign + String(scaled / 1_000_000) + "." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }
}

/// Scores documents with both classifiers in parallel; the result is a pure function of each
/// document, so it does not depend on the thread count.
public struct QualityScorer: Sendable {
    /// The classifiers.
    public let models: QualityModels
    /// How the axes combine.
    public let composite: CompositeScore
    private let noiseExtractor: QualityFeatureExtractor
    private let informationExtractor: QualityFeatureExtractor?

    /// A scorer of `models` combined by `composite`.
    public init(models: QualityModels, composite: CompositeScore) {
        self.models = models
        self.composite = composite
        noiseExtractor = QualityFeatureExtractor(config: models.noise.features)
        informationExtractor =
            models.information.features == models.noise.features
            ? nil : QualityFeatureExtractor(config: models.information.features)
    }

    /// The quality of one document, using `scratch` as working memory (one per thread).
    public func score(_ text: String, scratch: inout Scratch) -> DocumentQuality {
        var copy = text
        return copy.withUTF8 { bytes in
            let noiseFeatures = noiseExtractor.extract(bytes, scratch: &scratch.noise)
            let informationFeatures = informationExtractor.map { $0.extract(bytes, scratch: &scratch.information!) } ?? noiseFeatures
            let clean = models.noise.probability(noiseFeatures)
            let information = models.information.probability(informationFeatures)
            let windowCoversText = bytes.count <= noiseExtractor.hasher.config.windowBytes
            return DocumentQuality(
                clean: clean, information: information, composite: composite.combine(clean: clean, information: information),
                signals: windowCoversText ? noiseFeatures.signals : QualitySignals.compute(utf8: bytes))
        }
    }

    /// The quality of every document, in order, computed on `pool`.
    public func score(_ documents: [Document], pool: ThreadPool, progress: ProgressSink? = nil) -> [DocumentQuality] {
        ParallelChunks.map(count: documents.count, grain: 64, pool: pool) { range in
            var scratch = Scratch(for: self)
            let scores = range.map { score(documents[$0].text, scratch: &scratch) }
            progress?(range.count)
            return scores
        }
    }

    /// Working memory of one thread.
    public struct Scratch {
        fileprivate var noise: FeatureHasher.Scratch
        fileprivate var information: FeatureHasher.Scratch?

        /// Working memory for `scorer`.
        public init(for scorer: QualityScorer) {
            noise = FeatureHasher.Scratch(for: scorer.noiseExtractor.hasher)
            information = scorer.informationExtractor.map { FeatureHasher.Scratch(for: $0.hasher) }
        }
    }

    /// Called with the number of documents just scored (from any thread).
    public typealias ProgressSink = @Sendable (Int) -> Void
}
