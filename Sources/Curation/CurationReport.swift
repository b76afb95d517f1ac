import Documents
import FactoryCore

/// Documents and estimated tokens of one group at one point of curation.
///
/// Tokens are estimated as ⌈UTF-8 bytes / 4⌉ per document (see ``CurationReport/tokenEstimate``).
public struct CurationCounts: Codable, Equatable, Sendable {
    /// Documents.
    public var documents = 0
    /// Estimated tokens.
    public var tokens = 0

    /// Zero counts.
    public init() {}

    /// Counts one document of `tokens` estimated tokens.
    public mutating func add(tokens count: Int) {
        documents += 1
        tokens += count
    }
}

/// What happened to one group's documents (a source, a domain, a bucket or all): every input
/// document ends in exactly one of the other fields.
public struct CurationFunnel: Codable, Equatable, Sendable {
    /// Documents read.
    public var input = CurationCounts()
    /// Removed by a heuristic filter.
    public var filtered = CurationCounts()
    /// Removed as exact duplicates.
    public var exactDuplicates = CurationCounts()
    /// Removed as near duplicates.
    public var nearDuplicates = CurationCounts()
    /// Removed by bucket selection.
    public var deselected = CurationCounts()
    /// Kept.
    public var kept = CurationCounts()

    enum CodingKeys: String, CodingKey {
        case input, filtered, deselected, kept
        case exactDuplicates = "exact_duplicates"
        case nearDuplicates = "near_duplicates"
    }

    /// An empty funnel.
    public init() {}

    /// Counts one document with its fate.
    public mutating func record(_ fate: DocumentFate, tokens: Int) {
        input.add(tokens: tokens)
        switch fate {
        case .filtered: filtered.add(tokens: tokens)
        case .exactDuplicate: exactDuplicates.add(tokens: tokens)
        case .nearDuplicate: nearDuplicates.add(tokens: tokens)
        case .deselected: deselected.add(tokens: tokens)
        case .kept: kept.add(tokens: tokens)
        }
    }

    /// Documents and tokens removed by deduplication (exact and near).
    public var deduplicated: CurationCounts {
        var counts = CurationCounts()
        counts.documents = exactDuplicates.documents + nearDuplicates.documents
        counts.tokens = exactDuplicates.tokens + nearDuplicates.tokens
        return counts
    }

    /// What remains after each step: input, filters, deduplication, selection.
    public var remaining: [(step: String, counts: CurationCounts)] {
        var afterFilters = input
        afterFilters.documents -= filtered.documents
        afterFilters.tokens -= filtered.tokens
        var afterDedup = afterFilters
        afterDedup.documents -= deduplicated.documents
        afterDedup.tokens -= deduplicated.tokens
        return [("input", input), ("after filters", afterFilters), ("after dedup", afterDedup), ("after selection", kept)]
    }
}

/// One quality bucket: its composite-score range and the share selection keeps.
public struct CurationBucket: Codable, Equatable, Sendable {
    /// The bucket number (1 is the lowest scores).
    public var bucket: Int
    /// The least composite score in the bucket (`nil` for the first).
    public var lower: Double?
    /// The composite score where the next bucket starts (`nil` for the last).
    public var upper: Double?
    /// The share of the bucket's remaining documents selection keeps.
    public var keepFraction: Double

    enum CodingKeys: String, CodingKey {
        case bucket, lower, upper
        case keepFraction = "keep_fraction"
    }
}

/// Documents and tokens one filter rule removed (each document counts for the first rule it fails).
public struct CurationFilterCounts: Codable, Equatable, Sendable {
    /// The rule (``QualityFilter/name``).
    public var rule: String
    /// What it removed.
    public var removed: CurationCounts
}

/// Mean scores of a group of documents (all input documents of a domain).
public struct CurationScoreSummary: Codable, Equatable, Sendable {
    /// Documents.
    public var documents = 0
    /// Mean probability of clean.
    public var meanClean = 0.0
    /// Mean probability of informative.
    public var meanInformation = 0.0
    /// Mean composite score.
    public var meanComposite = 0.0
    /// Documents per composite-score bin: 10 equal bins over [0, 1].
    public var compositeHistogram = [Int](repeating: 0, count: 10)

    enum CodingKeys: String, CodingKey {
        case documents
        case meanClean = "mean_clean"
        case meanInformation = "mean_information"
        case meanComposite = "mean_composite"
        case compositeHistogram = "composite_histogram"
    }
}

/// A classifier as the report describes it.
public struct CurationClassifierSummary: Codable, Equatable, Sendable {
    /// Where its labels came from.
    public var labels: String
    /// Its held-out AUC at training time.
    public var heldOutAUC: Double
    /// Its training and held-out examples.
    public var examples: Int

    enum CodingKeys: String, CodingKey {
        case labels, examples
        case heldOutAUC = "held_out_auc"
    }
}

/// The machine-readable record of one curation (`curation.json`): documents and estimated tokens
/// removed at each step (filters, exact and near deduplication, bucket selection) and kept, by
/// source, domain, quality bucket and bucket × domain, with the settings that produced them.
public struct CurationReport: Codable, Equatable, Sendable {
    /// The file format's name.
    public static let formatName = "factory-curation-report"

    /// ``formatName``.
    public var format = CurationReport.formatName
    /// The format version.
    public var version = 1
    /// How tokens are estimated.
    public var tokenEstimate = "ceil(utf8_bytes / 4) per document"
    /// The corpus folder curated (as given).
    public var corpus = ""
    /// The curation configuration file (as given).
    public var config = ""
    /// The models folder (as given).
    public var models = ""
    /// The classifiers, by axis.
    public var classifiers = [String: CurationClassifierSummary]()
    /// How the composite is computed.
    public var composite = ""
    /// How deduplication ran (`disabled`, or the parameters and the survivor rule).
    public var dedup = ""
    /// The buckets.
    public var buckets = [CurationBucket]()
    /// How the bucket edges were set (`corpus quantiles` or `fixed thresholds`).
    public var bucketing = ""
    /// Every document.
    public var total = CurationFunnel()
    /// By document source.
    public var bySource = [String: CurationFunnel]()
    /// By domain.
    public var byDomain = [String: CurationFunnel]()
    /// By quality bucket (keys "1", "2", …).
    public var byBucket = [String: CurationFunnel]()
    /// By quality bucket, then domain.
    public var byBucketAndDomain = [String: [String: CurationFunnel]]()
    /// Per filter rule, in configuration order.
    public var filters = [CurationFilterCounts]()
    /// Scores of the input documents by domain.
    public var scoresByDomain = [String: CurationScoreSummary]()

    enum CodingKeys: String, CodingKey {
        case format, version, corpus, config, models, classifiers, composite, dedup, buckets, bucketing, total, filters
        case tokenEstimate = "token_estimate"
        case bySource = "by_source"
        case byDomain = "by_domain"
        case byBucket = "by_bucket"
        case byBucketAndDomain = "by_bucket_and_domain"
        case scoresByDomain = "scores_by_domain"
    }

    /// An empty report.
    public init() {}

    /// The estimated tokens of a text: ⌈UTF-8 bytes / 4⌉.
    static func estimatedTokens(_ text: String) -> Int {
        (text.utf8.count + 3) / 4
    }

    /// Reads a report file, naming the file and field of a problem.
    public static func read(path: String) throws -> CurationReport {
        let report = try JSONArtifact.read(CurationReport.self, path: path)
        guard report.format == formatName else {
            throw FactoryError.corrupt(path: path, reason: "field 'format': expected '\(formatName)', found '\(report.format)'")
        }
        return report
    }
}
