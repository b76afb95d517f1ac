import FactoryCore
import FactoryNumerics

/// One axis's learned quality classifier: logistic regression over hashed n-gram features and
/// standardized heuristic signals. A model file (``write(toPath:)``, ``read(path:)``) holds
/// everything needed to score documents exactly as at training time.
public struct QualityClassifier: Equatable, Sendable {
    /// The file format's name, stored in every model file.
    public static let formatName = "factory-quality-classifier"
    /// The file format's version.
    public static let formatVersion = 1

    /// The axis this classifier scores.
    public var axis: QualityAxis
    /// The features it reads.
    public var features: QualityFeatureConfig
    /// How signals are scaled (`nil` when ``QualityFeatureConfig/signals`` is off).
    var scaling: SignalScaling?
    /// The fitted model over ``QualityFeatureConfig/dimension`` features.
    public var model: LogisticRegression
    /// How it was trained.
    public var training: QualityTrainingSummary

    /// Creates a classifier from its parts.
    public init(
        axis: QualityAxis, features: QualityFeatureConfig, scaling: SignalScaling?, model: LogisticRegression,
        training: QualityTrainingSummary
    ) {
        self.axis = axis
        self.features = features
        self.scaling = scaling
        self.model = model
        self.training = training
    }

    /// The model's input for extracted features: the hashed n-grams, then the scaled signals.
    public func vector(_ extracted: QualityFeatures) -> SparseVector {
        guard let scaling else { return extracted.hashed }
        return extracted.hashed.appending(dense: scaling.scaled(extracted.signals), at: features.hashedDimension)
    }

    /// The probability of the positive class (``QualityAxis/positiveClass``).
    public func probability(_ extracted: QualityFeatures) -> Double {
        model.probability(vector(extracted))
    }

    /// Writes the model file atomically.
    public func write(toPath path: String) throws {
        var indices = [Int]()
        var values = [Double]()
        for (index, weight) in model.weights.enumerated() where weight != 0 {
            indices.append(index)
            values.append(weight)
        }
        let file = QualityClassifierFile(
            format: Self.formatName, version: Self.formatVersion, axis: axis.rawValue, positiveClass: axis.positiveClass,
            features: features, signalScaling: scaling, bias: model.bias,
            weights: .init(dimension: model.dimension, indices: indices, values: values), training: training)
        try JSONArtifact.write(file, toPath: path)
    }

    /// Reads and checks a model file.
    ///
    /// - Throws: ``FactoryError/corrupt(path:reason:)`` naming the field that is missing,
    ///   mistyped or inconsistent (an unknown axis, a weight index out of range, …).
    public static func read(path: String) throws -> QualityClassifier {
        let file = try JSONArtifact.read(QualityClassifierFile.self, path: path)
        func fail(_ field: String, _ message: String) -> FactoryError {
            .corrupt(path: path, reason: "field '\(field)': \(message)")
        }
        guard file.format == formatName else { throw fail("format", "expected '\(formatName)', found '\(file.format)'") }
        guard file.version == formatVersion else { throw fail("version", "expected \(formatVersion), found \(file.version)") }
        guard let axis = QualityAxis(rawValue: file.axis) else {
            throw fail("axis", "expected one of \(QualityAxis.allCases.map(\.rawValue).joined(separator: ", ")), found '\(file.axis)'")
        }
        try file.features.validate { fail("features.\($0)", $1) }
        if file.features.signals != (file.signalScaling != nil) {
            throw fail("signal_scaling", file.features.signals ? "missing while features.signals is true" : "present while features.signals is false")
        }
        try file.signalScaling?.validate(fail: fail)
        let dimension = file.features.dimension
        guard file.weights.dimension == dimension else {
            throw fail("weights.dimension", "expected \(dimension) for these features, found \(file.weights.dimension)")
        }
        guard file.weights.indices.count == file.weights.values.count else {
            throw fail("weights.values", "expected \(file.weights.indices.count) values (one per index), found \(file.weights.values.count)")
        }
        var weights = [Double](repeating: 0, count: dimension)
        var previous = -1
        for (position, (index, value)) in zip(file.weights.indices, file.weights.values).enumerated() {
            guard index > previous, index < dimension else {
                throw fail("weights.indices[\(position)]", "indices must increase and stay below \(dimension), found \(index)")
            }
            guard value.isFinite else { throw fail("weights.values[\(position)]", "must be finite") }
            weights[index] = value
            previous = index
        }
        guard file.bias.isFinite else { throw fail("bias", "must be finite") }
        return QualityClassifier(
            axis: axis, features: file.features, scaling: file.signalScaling, model: LogisticRegression(weights: weights, bias: file.bias),
            training: file.training)
    }
}

/// The JSON layout of a model file.
struct QualityClassifierFile: Codable {
    struct Weights: Codable {
        var dimension: Int
        var indices: [Int]
        var values: [Double]
    }

    var format: String
    var version: Int
    var axis: String
    var positiveClass: String
    var features: QualityFeatureConfig
    var signalScaling: SignalScaling?
    var bias: Double
    var weights: Weights
    var training: QualityTrainingSummary

    enum CodingKeys: String, CodingKey {
        case format, version, axis, features, bias, weights, training
        case positiveClass = "positive_class"
        case signalScaling = "signal_scaling"
    }
}
