import Documents
import FactoryCore
import Foundation

/// Builds the labelled examples of the two classifiers from a corpus and the configuration:
/// the user's labelled JSONL when given, otherwise the documented bootstraps.
///
/// - Noise bootstrap: up to `documents_per_source` documents of every (listed) source, cut to
///   the feature window, are positives (clean); a corrupted copy of each (``NoiseCorruptor``) is
///   a negative. A document and its copy share a held-out group.
/// - Information bootstrap: up to `documents_per_source` documents of every positive source are
///   positives (informative) and as many of every negative source (default: all the others)
///   negatives.
///
/// Documents are sampled per source in the order of a seeded hash of their ids, so the sample
/// does not depend on the corpus's file order.
public struct QualityTrainingData: Sendable {
    /// The configuration.
    public let config: CurationConfig
    /// The configuration file, for error messages.
    public let configFile: String

    /// Training data described by `config`, read from `configFile`.
    public init(config: CurationConfig, configFile: String) {
        self.config = config
        self.configFile = configFile
    }

    /// The noise axis's examples and a description of where their labels came from.
    public func noiseExamples(corpus documents: [Document]) throws -> (examples: [QualityExample], labels: String) {
        if let path = config.noise.labels { return (try LabelledTextReader.read(path: path), "labels:\(path)") }
        let bySource = try sample(documents, sources: config.noise.sources, key: "noise.sources")
        let corruptor = NoiseCorruptor(stream: RandomStream(seed: config.seed).split("noise-bootstrap"))
        var examples = [QualityExample]()
        for source in bySource.keys.sorted() {
            for document in bySource[source]! {
                let excerpt = Self.excerpt(document.text, maxBytes: config.features.windowBytes)
                examples.append(QualityExample(text: excerpt, target: 1, group: document.id))
                examples.append(QualityExample(text: corruptor.corrupt(excerpt, key: document.id).text, target: 0, group: document.id))
            }
        }
        return (examples, "bootstrap:corruption")
    }

    /// The information axis's examples and a description of where their labels came from.
    public func informationExamples(corpus documents: [Document]) throws -> (examples: [QualityExample], labels: String) {
        if let path = config.information.labels { return (try LabelledTextReader.read(path: path), "labels:\(path)") }
        let positives = config.information.positiveSources ?? []
        let corpusSources = Set(documents.map(\.source))
        let negatives = config.information.negativeSources ?? corpusSources.subtracting(positives).sorted()
        let positive = try sample(documents, sources: positives, key: "information.positive_sources")
        let negative = try sample(documents, sources: negatives, key: "information.negative_sources")
        guard !negative.isEmpty else {
            throw FactoryError.config(
                file: configFile, keyPath: "information.negative_sources", line: nil,
                message: "no negative documents: every source of the corpus is positive")
        }
        var examples = [QualityExample]()
        for (groups, target) in [(positive, 1.0), (negative, 0.0)] {
            for source in groups.keys.sorted() {
                examples += groups[source]!.map { QualityExample(text: $0.text, target: target, group: $0.id) }
            }
        }
        return (examples, "bootstrap:sources")
    }

    /// Up to `documents_per_source` documents of each of `sources` (every source when `nil`),
    /// by source, in seeded-hash order of their ids.
    private func sample(_ documents: [Document], sources: [String]?, key: String) throws -> [String: [Document]] {
        let perSource = key.hasPrefix("noise") ? config.noise.documentsPerSource : config.information.documentsPerSource
        var bySource = [String: [Document]]()
        for document in documents { bySource[document.source, default: []].append(document) }
        if let sources {
            for (index, source) in sources.enumerated() where bySource[source] == nil {
                throw FactoryError.config(
                    file: configFile, keyPath: "\(key)[\(index)]", line: nil,
                    message: "no source '\(source)' in the corpus (its sources: \(bySource.keys.sorted().joined(separator: ", ")))")
            }
            bySource = bySource.filter { sources.contains($0.key) }
        }
        let seed = config.seed
        return bySource.mapValues { group in
            let keyed = group.map { (StableHash.of($0.id, seed: seed), $0) }
            return keyed.sorted { ($0.0, $0.1.id) < ($1.0, $1.1.id) }.prefix(perSource).map(\.1)
        }
    }

    /// The text cut to at most `maxBytes` UTF-8 bytes, at the last line break within them when
    /// there is one in the second half, else at a character boundary.
    static func excerpt(_ text: String, maxBytes: Int) -> String {
        var copy = text
        return copy.withUTF8 { bytes in
            guard bytes.count > maxBytes else { return text }
            var window = QualityFeatureExtractor.prefix(of: bytes, maxBytes: maxBytes)
            if let lineBreak = window.lastIndex(of: 0x0A), lineBreak >= maxBytes / 2 {
                window = UnsafeBufferPointer(rebasing: window[0..<lineBreak])
            }
            return String(decoding: window, as: UTF8.self)
        }
    }
}
