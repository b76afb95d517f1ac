import FactoryCore

/// What the quality classifiers see of a document: hashed word and character n-grams of its
/// first ``windowBytes`` bytes, and (optionally) the heuristic signals of that window.
///
/// The same table appears in `curate.toml` (`[features]`) and in every model file, so that a
/// model scores documents exactly as it was trained.
public struct QualityFeatureConfig: Codable, Equatable, Sendable {
    /// log2 of the number of hashed n-gram features.
    var dimensionBits: Int
    /// Word n-gram orders (words: runs of ASCII letters, digits and non-ASCII, lowercased).
    var wordNgrams: [Int]
    /// Character n-gram orders over bytes (ASCII lowercased, whitespace runs as one space).
    var characterNgrams: [Int]
    /// Bytes of the document the classifiers read (the prefix, cut back to a character boundary).
    var windowBytes: Int
    /// Whether the heuristic signals of the window are features too (standardized).
    public var signals: Bool

    enum CodingKeys: String, CodingKey {
        case dimensionBits = "dimension_bits"
        case wordNgrams = "word_ngrams"
        case characterNgrams = "character_ngrams"
        case windowBytes = "window_bytes"
        case signals
    }

    /// The defaults: 2^18 features, word 1–2-grams, character 3–5-grams, an 8 KiB window, signals on.
    public init(
        dimensionBits: Int = 18, wordNgrams: [Int] = [1, 2], characterNgrams: [Int] = [3, 4, 5],
        windowBytes: Int = 8192, signals: Bool = true
    ) {
        self.dimensionBits = dimensionBits
        self.wordNgrams = wordNgrams
        self.characterNgrams = characterNgrams
        self.windowBytes = windowBytes
        self.signals = signals
    }

    public init(from decoder: Decoder) throws {
        let defaults = QualityFeatureConfig()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        dimensionBits = try container.decodeIfPresent(Int.self, forKey: .dimensionBits) ?? defaults.dimensionBits
        wordNgrams = try container.decodeIfPresent([Int].self, forKey: .wordNgrams) ?? defaults.wordNgrams
        characterNgrams = try container.decodeIfPresent([Int].self, forKey: .characterNgrams) ?? defaults.characterNgrams
        windowBytes = try container.decodeIfPresent(Int.self, forKey: .windowBytes) ?? defaults.windowBytes
        signals = try container.decodeIfPresent(Bool.self, forKey: .signals) ?? defaults.signals
    }

    /// The number of hashed n-gram features (`2^dimensionBits`).
    var hashedDimension: Int { 1 << dimensionBits }

    /// Every feature: the hashed n-grams, then one per signal when ``signals`` is on.
    public var dimension: Int { hashedDimension + (signals ? QualitySignal.allCases.count : 0) }

    /// Checks the values; `fail` turns a key (relative to this table) and a message into the error to throw.
    public func validate(fail: (String, String) -> FactoryError) throws {
        guard (8...24).contains(dimensionBits) else {
            throw fail("dimension_bits", "must be between 8 and 24, found \(dimensionBits)")
        }
        for (key, orders, range) in [("word_ngrams", wordNgrams, 1...4), ("character_ngrams", characterNgrams, 1...8)] {
            for order in orders where !range.contains(order) {
                throw fail(key, "orders must be between \(range.lowerBound) and \(range.upperBound), found \(order)")
            }
            guard Set(orders).count == orders.count else { throw fail(key, "lists an order twice") }
        }
        guard !(wordNgrams.isEmpty && characterNgrams.isEmpty) else {
            throw fail("word_ngrams", "give at least one word or character n-gram order")
        }
        guard windowBytes >= 64 else { throw fail("window_bytes", "must be at least 64, found \(windowBytes)") }
    }
}
