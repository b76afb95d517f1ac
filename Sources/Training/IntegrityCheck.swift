/// Compares replicas' weight hashes: all equal, or a fault naming the differing tensors and, where
/// a strict majority agrees, the odd replica(s).
public enum IntegrityCheck {
    /// What a failed comparison found.
    public struct Fault: Equatable, Sendable {
        /// Replicas whose hash differs from the majority's; empty when no hash has a strict majority
        /// (two replicas that disagree, say), so the culprit cannot be told.
        public var oddReplicas: [Int]
        /// Names (`<set>/<tensor>`) of the tensors whose hashes are not all equal, in hash order.
        public var tensors: [String]
    }

    /// `nil` when every replica's hash words are the same, else the fault. The hashes must be of
    /// one kind over the same tensors (as every replica computes them).
    public static func compare(_ hashes: [WeightHash]) -> Fault? {
        guard let first = hashes.first, hashes.contains(where: { $0.words != first.words }) else { return nil }
        precondition(hashes.allSatisfy { $0.kind == first.kind && $0.names == first.names }, "hashes of different tensors")
        let tensors = first.names.indices.filter { index in
            hashes.contains { $0.hash(ofTensorAt: index) != first.hash(ofTensorAt: index) }
        }.map { first.names[$0] }
        let votes = Dictionary(grouping: hashes.indices, by: { hashes[$0].words })
        let majority = votes.values.first { 2 * $0.count > hashes.count }
        let odd = majority.map { winners in hashes.indices.filter { !winners.contains($0) } } ?? []
        return Fault(oddReplicas: odd, tensors: tensors)
    }
}
