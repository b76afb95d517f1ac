/// One labelled text for training a quality classifier.
public struct QualityExample: Equatable, Sendable {
    /// The text.
    public var text: String
    /// The target: 1 for the positive class, 0 for the negative, or a score in between.
    public var target: Double
    /// Examples with the same group fall on the same side of the held-out split (a clean
    /// document and its corrupted copy share one).
    public var group: String

    /// Creates an example.
    public init(text: String, target: Double, group: String) {
        self.text = text
        self.target = target
        self.group = group
    }
}
