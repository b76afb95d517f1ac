/// Locality-sensitive hashing over MinHash signatures: documents whose signatures agree on every
/// row of at least one band land in the same bucket and are joined into one cluster.
enum MinHashLSH {
    /// The union-find of `signatures` (by index) after joining every pair that shares a band bucket.
    static func cluster(_ signatures: [[UInt64]], parameters: MinHashParameters) -> UnionFind {
        var sets = UnionFind(count: signatures.count)
        for band in 0..<parameters.bands {
            let rows = (band * parameters.rows)..<((band + 1) * parameters.rows)
            var buckets = [ArraySlice<UInt64>: Int]()
            buckets.reserveCapacity(signatures.count)
            for (index, signature) in signatures.enumerated() {
                precondition(signature.count == parameters.signatureLength, "signature \(index) has the wrong length")
                if let first = buckets[signature[rows]] {
                    sets.union(first, index)
                } else {
                    buckets[signature[rows]] = index
                }
            }
        }
        return sets
    }
}
