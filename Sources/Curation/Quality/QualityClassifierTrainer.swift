import FactoryCore
import FactoryNumerics

/// Trains a ``QualityClassifier`` from labelled examples: extracts features, holds out a share of
/// the example groups, standardizes signals on the rest, fits the logistic regression and
/// measures the held-out AUC. The model file carries that AUC; the model is the one fitted
/// without the held-out examples.
public struct QualityClassifierTrainer: Sendable {
    /// The features to extract.
    public var features: QualityFeatureConfig
    /// The L2 strength of the logistic regression.
    public var l2: Double
    /// L-BFGS iterations at most.
    public var maxIterations: Int
    /// The share of example groups held out for the AUC.
    public var heldOutFraction: Double
    /// The seed of the held-out split.
    public var seed: UInt64
    /// Threads for feature extraction and fitting.
    public var pool: ThreadPool

    /// A trainer.
    public init(
        features: QualityFeatureConfig = QualityFeatureConfig(), l2: Double = 1e-4, maxIterations: Int = 300,
        heldOutFraction: Double = 0.2, seed: UInt64 = 1, pool: ThreadPool = .machineWide
    ) {
        self.features = features
        self.l2 = l2
        self.maxIterations = maxIterations
        self.heldOutFraction = heldOutFraction
        self.seed = seed
        self.pool = pool
    }

    /// Whether the examples of `group` are held out.
    func isHeldOut(group: String) -> Bool {
        let word = RandomStream(seed: seed).split("held-out").split(group).word(at: 0)
        return Double(word >> 11) * 0x1p-53 < heldOutFraction
    }

    /// Trains the `axis` classifier on `examples`; `labels` says where the labels came from.
    ///
    /// - Throws: ``FactoryError/invalidArgument(name:message:)`` when the training or held-out
    ///   part lacks one of the classes.
    public func train(axis: QualityAxis, examples: [QualityExample], labels: String) throws -> QualityClassifier {
        let extractor = QualityFeatureExtractor(config: features)
        let extracted = ParallelChunks.map(count: examples.count, grain: 32, pool: pool) { range in
            var scratch = FeatureHasher.Scratch(for: extractor.hasher)
            return range.map { extractor.extract(examples[$0].text, scratch: &scratch) }
        }
        let heldOut = examples.map { isHeldOut(group: $0.group) }
        let trainIndices = examples.indices.filter { !heldOut[$0] }
        let heldOutIndices = examples.indices.filter { heldOut[$0] }
        func positives(_ indices: [Int]) -> Int { indices.filter { examples[$0].target >= 0.5 }.count }
        for (part, indices) in [("training", trainIndices), ("held-out", heldOutIndices)] {
            let positive = positives(indices)
            guard positive > 0, positive < indices.count else {
                throw FactoryError.invalidArgument(
                    name: "\(axis.rawValue) examples",
                    message: "the \(part) part (\(indices.count) examples, \(positive) positive) needs both classes; give more labelled examples")
            }
        }
        let scaling = features.signals ? SignalScaling.fit(trainIndices.map { extracted[$0].signals }) : nil
        let unfitted = QualityClassifier(
            axis: axis, features: features, scaling: scaling, model: LogisticRegression(weights: [], bias: 0),
            training: QualityTrainingSummary(
                labels: labels, trainingExamples: 0, trainingPositives: 0, heldOutExamples: 0, heldOutPositives: 0,
                heldOutAUC: 0, l2: l2, iterations: 0, converged: false, trainingLoss: 0, seed: seed))
        let fit = try LogisticRegressionTrainer(l2: l2, maxIterations: maxIterations, pool: pool).fit(
            examples: trainIndices.map { unfitted.vector(extracted[$0]) }, targets: trainIndices.map { examples[$0].target },
            dimension: features.dimension)
        var classifier = unfitted
        classifier.model = fit.model
        let heldOutScores = heldOutIndices.map { classifier.probability(extracted[$0]) }
        let auc = try ROCAUC.compute(scores: heldOutScores, labels: heldOutIndices.map { examples[$0].target >= 0.5 })
        classifier.training = QualityTrainingSummary(
            labels: labels, trainingExamples: trainIndices.count, trainingPositives: positives(trainIndices),
            heldOutExamples: heldOutIndices.count, heldOutPositives: positives(heldOutIndices), heldOutAUC: auc, l2: l2,
            iterations: fit.iterations, converged: fit.converged, trainingLoss: fit.loss, seed: seed)
        return classifier
    }
}
