import Documents

/// Why deduplication removed a document.
public enum DedupReason: String, Codable, Sendable {
    /// Its normalized text is identical to the survivor's.
    case exact
    /// Its MinHash signature shares an LSH bucket (possibly through other documents) with the survivor's.
    case fuzzy
}

/// One document deduplication removed, and the document kept in its place.
public struct DedupRemoval: Codable, Equatable, Sendable {
    /// The removed document's id.
    public let id: String
    /// The removed document's source.
    public let source: String
    /// The removed document's domain.
    public let domain: String
    /// Which stage removed it.
    public let reason: DedupReason
    /// The id of the document kept for its cluster.
    public let survivor: String
    /// The removed document's quality bucket (metadata ``DedupReport/qualityBucketKey``), if it had one.
    let qualityBucket: String?

    /// Records the removal of document `id` in favour of `survivor`.
    public init(
        id: String, source: String, domain: String, reason: DedupReason, survivor: String, qualityBucket: String? = nil
    ) {
        self.id = id
        self.source = source
        self.domain = domain
        self.reason = reason
        self.survivor = survivor
        self.qualityBucket = qualityBucket
    }
}

/// Document counts of one group (a source, a domain or the whole input) through deduplication.
public struct DedupCounts: Codable, Equatable, Sendable {
    /// Documents read.
    public var input = 0
    /// Documents removed as exact duplicates.
    public var exact = 0
    /// Documents removed as near duplicates.
    var fuzzy = 0
    /// Documents kept.
    public var kept: Int { input - exact - fuzzy }

    /// Zero counts.
    public init() {}
}

/// What deduplication removed, in total, by source, by domain and (when documents carry a
/// ``qualityBucketKey``) by quality bucket, so a report can show which quality levels dedup removed.
public struct DedupReport: Codable, Equatable, Sendable {
    /// The metadata key holding a document's quality bucket (written by quality scoring).
    static let qualityBucketKey = "quality_bucket"
    /// The bucket name counted for documents without a ``qualityBucketKey`` when others have one.
    static let noQualityBucket = "(none)"

    /// Counts over every document.
    public private(set) var total = DedupCounts()
    /// Counts per document source.
    public private(set) var bySource = [String: DedupCounts]()
    /// Counts per document domain.
    public private(set) var byDomain = [String: DedupCounts]()
    /// Counts per quality bucket; empty when no document has a ``qualityBucketKey``.
    public private(set) var byQualityBucket = [String: DedupCounts]()
    /// Every removed document, in input order.
    private(set) var removals = [DedupRemoval]()

    /// Counts `documents` as read and records `removals`.
    public init(documents: [Document], removals: [DedupRemoval]) {
        let bucketed = documents.contains { $0.metadata[Self.qualityBucketKey] != nil }
        for document in documents {
            total.input += 1
            bySource[document.source, default: DedupCounts()].input += 1
            byDomain[document.domain, default: DedupCounts()].input += 1
            if bucketed {
                byQualityBucket[document.metadata[Self.qualityBucketKey] ?? Self.noQualityBucket, default: DedupCounts()].input += 1
            }
        }
        for removal in removals {
            let path: WritableKeyPath<DedupCounts, Int> = removal.reason == .exact ? \.exact : \.fuzzy
            total[keyPath: path] += 1
            bySource[removal.source, default: DedupCounts()][keyPath: path] += 1
            byDomain[removal.domain, default: DedupCounts()][keyPath: path] += 1
            if bucketed {
                byQualityBucket[removal.qualityBucket ?? Self.noQualityBucket, default: DedupCounts()][keyPath: path] += 1
            }
        }
        self.removals = removals
    }

    /// A plain-text table of `groups` (for example ``bySource``) and the total, one row per group.
    public func table(_ groups: [String: DedupCounts], heading: String) -> String {
        func row(_ name: String, _ counts: DedupCounts) -> String {
            name.padding(toLength: 24, withPad: " ", startingAt: 0)
                + [counts.input, counts.exact, counts.fuzzy, counts.kept].map { String($0).leftPadded(to: 10) }.joined()
        }
        let header =
            heading.padding(toLength: 24, withPad: " ", startingAt: 0)
            + ["input", "exact", "fuzzy", "kept"].map { $0.leftPadded(to: 10) }.joined()
        return ([header] + groups.keys.sorted().map { row($0, groups[$0]!) } + [row("total", total)]).joined(separator: "\n")
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: " ", count: Swift.max(0, width - count)) + self
    }
}
