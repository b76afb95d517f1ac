/// Composite-score buckets: `edges[k]` is the least score of bucket `k + 2` (buckets numbered
/// from 1, lowest scores, to ``count``, highest).
struct QualityBuckets: Equatable, Sendable {
    /// The lower edges of buckets 2…``count``, non-decreasing.
    let edges: [Double]

    /// Buckets with these edges.
    init(edges: [Double]) {
        precondition(zip(edges, edges.dropFirst()).allSatisfy { $0 <= $1 }, "edges must not decrease")
        self.edges = edges
    }

    /// Buckets holding equal numbers of `scores` (as far as ties allow): edge `k` is the score at
    /// rank `⌊k·n/levels⌋` of the sorted scores, so equal scores always share a bucket.
    static func quantiles(of scores: [Double], levels: Int) -> QualityBuckets {
        precondition(levels >= 1, "at least one level")
        let sorted = scores.sorted()
        guard !sorted.isEmpty else { return QualityBuckets(edges: [Double](repeating: 0, count: levels - 1)) }
        return QualityBuckets(edges: (1..<levels).map { sorted[$0 * sorted.count / levels] })
    }

    /// The number of buckets.
    var count: Int { edges.count + 1 }

    /// The bucket (1…``count``) of `score`: one more than the number of edges at or below it.
    func bucket(of score: Double) -> Int {
        var low = 0
        var high = edges.count
        while low < high {
            let middle = (low + high) / 2
            if edges[middle] <= score { low = middle + 1 } else { high = middle }
        }
        return low + 1
    }

    /// The score range of `bucket`: its lower edge (nil for the first) and upper edge (nil for the last).
    func range(of bucket: Int) -> (lower: Double?, upper: Double?) {
        (bucket > 1 ? edges[bucket - 2] : nil, bucket < count ? edges[bucket - 1] : nil)
    }
}
