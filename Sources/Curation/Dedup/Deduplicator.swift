import Documents
import FactoryCore

/// Removes exact duplicates (equal SHA-256 of ``TextNormalization/normalized(_:)`` text) and then
/// near duplicates (MinHash LSH clusters) from a set of documents, computing signatures in parallel.
///
/// Each cluster keeps one document chosen by ``survivorPriority`` (by default the least id; for
/// example the highest `quality_composite`, so dedup keeps the best copy), with ties going to the
/// least id and then the earliest in the input, so the result does not depend on input order.
/// Every survivor carries the number of input documents it stands for under ``clusterSizeKey``
/// so that data can be re-weighted later.
public struct Deduplicator: Sendable {
    /// The metadata key holding a survivor's cluster size (itself included).
    static let clusterSizeKey = "dedup_cluster_size"

    /// The fuzzy stage's hasher.
    public let hasher: MinHasher
    /// Which member of each cluster is kept.
    public let survivorPriority: DedupSurvivorPriority

    /// Creates a deduplicator for MinHash `parameters` keeping each cluster's member first by `survivorPriority`.
    public init(parameters: MinHashParameters, survivorPriority: DedupSurvivorPriority = .leastID) {
        hasher = MinHasher(parameters: parameters)
        self.survivorPriority = survivorPriority
    }

    /// The documents that survive, in input order, and the report of those removed.
    ///
    /// - Throws: ``FactoryError/invalidArgument(name:message:)`` naming the document when the
    ///   survivor rule's metadata value is not a number.
    public func deduplicate(_ documents: [Document]) throws -> (kept: [Document], report: DedupReport) {
        let scores = try survivorPriority.scores(of: documents)
        var clusterSize = [Int](repeating: 1, count: documents.count)
        var removals = [Int: DedupRemoval]()

        var exactSets = UnionFind(count: documents.count)
        var firstByDigest = [Digest: Int]()
        for (index, document) in documents.enumerated() {
            let digest = Digest.of(TextNormalization.normalized(document.text))
            if let first = firstByDigest[digest] { exactSets.union(first, index) } else { firstByDigest[digest] = index }
        }
        removeAllButOne(
            exactSets.clusters(), of: documents, scores: scores, reason: .exact, clusterSize: &clusterSize, removals: &removals)

        let candidates = documents.indices.filter { removals[$0] == nil }
        try MemoryBudget.require(
            MemoryBudget.product(candidates.count, hasher.parameters.signatureLength, MemoryLayout<UInt64>.size),
            for: "the MinHash signatures of \(candidates.count) documents",
            name: "minhash bands × rows (\(hasher.parameters.bands) × \(hasher.parameters.rows))")
        let signatures = hasher.signatures(of: candidates.map { documents[$0].text })
        var fuzzySets = MinHashLSH.cluster(signatures, parameters: hasher.parameters)
        let fuzzyClusters = fuzzySets.clusters().map { $0.map { candidates[$0] } }
        removeAllButOne(
            fuzzyClusters, of: documents, scores: scores, reason: .fuzzy, clusterSize: &clusterSize, removals: &removals)

        var kept = [Document]()
        for (index, document) in documents.enumerated() where removals[index] == nil {
            var survivor = document
            survivor.metadata[Self.clusterSizeKey] = String(clusterSize[index])
            kept.append(survivor)
        }
        let report = DedupReport(documents: documents, removals: removals.keys.sorted().map { removals[$0]! })
        return (kept, report)
    }

    /// Keeps the preferred member of each cluster (``DedupSurvivorPriority/prefers(_:over:documents:scores:)``),
    /// adds the others' cluster sizes to it and records their removal.
    private func removeAllButOne(
        _ clusters: [[Int]], of documents: [Document], scores: [Double?], reason: DedupReason,
        clusterSize: inout [Int], removals: inout [Int: DedupRemoval]
    ) {
        for members in clusters {
            let survivor = members.min {
                DedupSurvivorPriority.prefers($0, over: $1, documents: documents, scores: scores)
            }!
            for member in members where member != survivor {
                let document = documents[member]
                clusterSize[survivor] += clusterSize[member]
                removals[member] = DedupRemoval(
                    id: document.id, source: document.source, domain: document.domain, reason: reason,
                    survivor: documents[survivor].id, qualityBucket: document.metadata[DedupReport.qualityBucketKey])
            }
        }
    }
}
