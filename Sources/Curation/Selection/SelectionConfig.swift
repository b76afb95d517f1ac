import FactoryCore

/// `[selection]`: documents are put into ``levelCount`` buckets by composite score and a fixed
/// share of every bucket is kept (diversity-preserving selection: not only the top).
///
/// Bucket edges are the corpus quantiles of the composite score (equal document counts per
/// bucket, computed over every input document before filtering) unless ``thresholds`` fixes
/// them. Buckets are numbered from 1 (lowest scores) to ``levelCount`` (highest).
public struct SelectionConfig: Decodable, Equatable, Sendable {
    /// The number of buckets when ``thresholds`` is absent.
    public var levels = 5
    /// Fixed composite-score edges between buckets, increasing, in (0, 1); `levels` is then
    /// `thresholds.count + 1`.
    var thresholds: [Double]?
    /// The share of each bucket kept, from the lowest bucket to the highest.
    var keepFractions = [0.2, 0.4, 0.6, 0.8, 1.0]

    enum CodingKeys: String, CodingKey {
        case levels, thresholds
        case keepFractions = "keep_fractions"
    }

    /// The defaults: 5 quantile buckets keeping 20 %, 40 %, 60 %, 80 % and 100 %.
    public init() {}

    /// A selection in code.
    public init(levels: Int, thresholds: [Double]? = nil, keepFractions: [Double]) {
        self.levels = levels
        self.thresholds = thresholds
        self.keepFractions = keepFractions
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        thresholds = try container.decodeIfPresent([Double].self, forKey: .thresholds)
        levels = try container.decodeIfPresent(Int.self, forKey: .levels) ?? thresholds.map { $0.count + 1 } ?? levels
        keepFractions = try container.decodeIfPresent([Double].self, forKey: .keepFractions) ?? keepFractions
    }

    /// The number of buckets.
    var levelCount: Int { thresholds.map { $0.count + 1 } ?? levels }

    /// Checks the settings; `fail` turns a key and a message into the error to throw.
    public func validate(fail: (String, String) -> FactoryError) throws {
        guard (1...100).contains(levels) else { throw fail("levels", "must be between 1 and 100, found \(levels)") }
        if let thresholds {
            guard thresholds.count + 1 == levels else {
                throw fail("levels", "is \(levels) but \(thresholds.count) thresholds make \(thresholds.count + 1) buckets")
            }
            guard thresholds.allSatisfy({ $0 > 0 && $0 < 1 }), zip(thresholds, thresholds.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw fail("thresholds", "must increase strictly and lie between 0 and 1")
            }
        }
        guard keepFractions.count == levelCount else {
            throw fail("keep_fractions", "expected \(levelCount) fractions (one per bucket, lowest first), found \(keepFractions.count)")
        }
        if let bad = keepFractions.first(where: { !(0...1).contains($0) }) {
            throw fail("keep_fractions", "fractions must be between 0 and 1, found \(bad)")
        }
    }
}
