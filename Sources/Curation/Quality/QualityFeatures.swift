import FactoryNumerics

/// What a quality classifier reads from one document: the hashed n-grams and the heuristic
/// signals of its window (the first ``QualityFeatureConfig/windowBytes`` bytes).
public struct QualityFeatures: Sendable {
    /// Hashed n-gram features (unit length).
    public var hashed: SparseVector
    /// The heuristic signals of the window.
    public var signals: QualitySignalValues
}

/// Extracts ``QualityFeatures`` from text.
struct QualityFeatureExtractor: Sendable {
    /// The n-gram hasher (and the feature configuration).
    let hasher: FeatureHasher

    /// An extractor for `config` (validated by the caller).
    init(config: QualityFeatureConfig) {
        hasher = FeatureHasher(config: config)
    }

    /// The features of UTF-8 `text`, using `scratch` as working memory.
    func extract(_ text: UnsafeBufferPointer<UInt8>, scratch: inout FeatureHasher.Scratch) -> QualityFeatures {
        let window = Self.prefix(of: text, maxBytes: hasher.config.windowBytes)
        return QualityFeatures(hashed: hasher.features(of: window, scratch: &scratch), signals: QualitySignals.compute(utf8: window))
    }

    /// The features of `text`.
    func extract(_ text: String, scratch: inout FeatureHasher.Scratch) -> QualityFeatures {
        var copy = text
        return copy.withUTF8 { extract($0, scratch: &scratch) }
    }

    /// At most `maxBytes` leading bytes of UTF-8 text, never ending inside a character.
    static func prefix(of text: UnsafeBufferPointer<UInt8>, maxBytes: Int) -> UnsafeBufferPointer<UInt8> {
        guard text.count > maxBytes else { return text }
        var end = maxBytes
        while end > 0, text[end] & 0xC0 == 0x80 { end -= 1 }
        return UnsafeBufferPointer(rebasing: text[0..<end])
    }
}
