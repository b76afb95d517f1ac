/// The two independently learned axes of document quality.
public enum QualityAxis: String, CaseIterable, Codable, Sendable {
    /// Is the document mostly junk (boilerplate, markup, spam, broken encoding)? The classifier's
    /// positive class is *clean*: its probability is high for clean text.
    case noise
    /// Is the document worth learning from (educational, reference, informative)? The positive
    /// class is *informative*.
    case information

    /// The metadata key a curated document carries this axis's probability under.
    public var metadataKey: String {
        switch self {
        case .noise: "quality_noise"
        case .information: "quality_information"
        }
    }

    /// What the positive class means, for reports.
    public var positiveClass: String {
        switch self {
        case .noise: "clean"
        case .information: "informative"
        }
    }
}
