import Corpus
import Documents
import FactoryCore
import FactoryNumerics
import Foundation

@testable import Curation

/// Small corpora, configurations and hand-made models for the quality and curation tests.
enum QualityTestSupport {
    /// 116 King James Bible passages (public domain), about 800 bytes each.
    static func biblePassages() throws -> [Document] {
        let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
            .appendingPathComponent("quality/kjv-passages.jsonl")
        return try JSONLinesReader.readDocuments(path: url.path)
    }

    /// A small feature space that trains quickly in debug builds.
    static let features = QualityFeatureConfig(dimensionBits: 14, windowBytes: 2048)

    /// A configuration for tests: small features, the given filters and selection.
    static func config(filters: [QualityFilter] = [], selection: SelectionConfig = SelectionConfig()) -> CurationConfig {
        var config = CurationConfig()
        config.features = features
        config.training.maxIterations = 100
        config.noise.documentsPerSource = 1000
        config.information.documentsPerSource = 1000
        config.filters = filters
        config.selection = selection
        return config
    }

    /// A classifier with pseudo-random weights (no training), signals scaled on `documents`.
    static func randomClassifier(axis: QualityAxis, seed: UInt64, documents: [Document]) -> QualityClassifier {
        var choices = SeededChoices(RandomStream(seed: seed))
        let extractor = QualityFeatureExtractor(config: features)
        var scratch = FeatureHasher.Scratch(for: extractor.hasher)
        let scaling = SignalScaling.fit(documents.map { extractor.extract($0.text, scratch: &scratch).signals })
        let weights = (0..<features.dimension).map { _ in choices.double(in: -3...3) }
        return QualityClassifier(
            axis: axis, features: features, scaling: scaling, model: LogisticRegression(weights: weights, bias: 0.5),
            training: QualityTrainingSummary(
                labels: "random", trainingExamples: 0, trainingPositives: 0, heldOutExamples: 0, heldOutPositives: 0,
                heldOutAUC: 0.5, l2: 0, iterations: 0, converged: true, trainingLoss: 0, seed: seed))
    }

    /// Bible passages and synthetic math, with planted exact and near duplicates.
    static func mixedCorpus() throws -> [Document] {
        var documents = try biblePassages()
        documents += SyntheticMath.documents(count: 60, seed: 3, sourceName: "synthetic-math", domain: "math")
        var copy = documents[5]
        copy.id = "copy-of-5"
        copy.source = "mirror"
        documents.append(copy)
        var edited = documents[9]
        edited.id = "edited-9"
        edited.text = edited.text.replacingOccurrences(of: "the", with: "thee", options: [], range: edited.text.range(of: "the"))
        documents.append(edited)
        documents.append(Document(id: "tiny", text: "Amen.", domain: "prose", source: "bible-kjv", license: "public-domain"))
        return documents
    }

    /// A fresh, empty temporary folder.
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "curation-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
