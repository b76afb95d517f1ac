import FactoryCore

/// Diversity-preserving selection: within every (domain, quality bucket) stratum, keep the
/// configured fraction of the documents, rounded to the nearest whole document (halves up),
/// choosing those with the least seeded hash of their id, so the choice is deterministic,
/// independent of input order and uncorrelated with the score inside a bucket.
struct BucketSelection: Sendable {
    /// The share kept of each bucket, lowest bucket first.
    let keepFractions: [Double]
    /// The seed of the hash that orders documents within a stratum.
    let seed: UInt64

    /// A selection keeping `keepFractions[b - 1]` of bucket `b`.
    init(keepFractions: [Double], seed: UInt64) {
        self.keepFractions = keepFractions
        self.seed = seed
    }

    /// One candidate: its id, domain and bucket (1-based).
    struct Candidate: Sendable {
        /// The document id.
        var id: String
        /// The document's domain.
        var domain: String
        /// Its quality bucket.
        var bucket: Int

        /// A candidate.
        init(id: String, domain: String, bucket: Int) {
            self.id = id
            self.domain = domain
            self.bucket = bucket
        }
    }

    /// The number kept of a stratum of `count` documents in `bucket`.
    func keptCount(of count: Int, bucket: Int) -> Int {
        Int((keepFractions[bucket - 1] * Double(count)).rounded(.toNearestOrAwayFromZero))
    }

    /// Whether each candidate is kept.
    func select(_ candidates: [Candidate]) -> [Bool] {
        struct Stratum: Hashable {
            var domain: String
            var bucket: Int
        }
        var strata = [Stratum: [Int]]()
        for (index, candidate) in candidates.enumerated() {
            strata[Stratum(domain: candidate.domain, bucket: candidate.bucket), default: []].append(index)
        }
        var kept = [Bool](repeating: false, count: candidates.count)
        for (stratum, members) in strata {
            let ordered = members.map { (StableHash.of(candidates[$0].id, seed: seed), candidates[$0].id, $0) }.sorted {
                ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2)
            }
            for entry in ordered.prefix(keptCount(of: members.count, bucket: stratum.bucket)) { kept[entry.2] = true }
        }
        return kept
    }
}
