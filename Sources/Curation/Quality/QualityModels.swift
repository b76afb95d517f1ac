import FactoryCore

/// The two classifiers of a models folder: `noise.json` and `information.json`.
public struct QualityModels: Equatable, Sendable {
    /// The noise axis (probability of clean).
    public var noise: QualityClassifier
    /// The information axis (probability of informative).
    public var information: QualityClassifier

    /// The pair.
    public init(noise: QualityClassifier, information: QualityClassifier) {
        self.noise = noise
        self.information = information
    }

    /// The model file of `axis` in `directory`.
    public static func path(of axis: QualityAxis, in directory: String) -> String {
        "\(directory)/\(axis.rawValue).json"
    }

    /// Reads both model files, checking that each holds its axis.
    public static func read(directory: String) throws -> QualityModels {
        func load(_ axis: QualityAxis) throws -> QualityClassifier {
            let path = path(of: axis, in: directory)
            let classifier = try QualityClassifier.read(path: path)
            guard classifier.axis == axis else {
                throw FactoryError.corrupt(path: path, reason: "field 'axis': expected '\(axis.rawValue)', found '\(classifier.axis.rawValue)'")
            }
            return classifier
        }
        return QualityModels(noise: try load(.noise), information: try load(.information))
    }

    /// Writes both model files atomically into `directory` (which must exist).
    public func write(directory: String) throws {
        try noise.write(toPath: Self.path(of: .noise, in: directory))
        try information.write(toPath: Self.path(of: .information, in: directory))
    }
}
