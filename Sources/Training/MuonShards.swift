import FactoryCore
import Models
import Tensors

/// Sharded Muon: each replica orthogonalizes only the matrices `ParameterGroups.replicaAssignment`
/// gives it (balanced by Newton–Schulz cost, the same plan on every replica) and the results are
/// all-gathered, so each replica does about 1/R of the Newton–Schulz work. Every matrix is
/// orthogonalized by the same single-threaded kernel wherever it runs, so the gathered results
/// are bitwise those of orthogonalizing all of them in one place.
struct MuonShards: Sendable {
    /// For each matrix of `ParameterGroups.muonMatrices`, the replica that orthogonalizes it.
    let owners: [Int]
    let collectives: any Collectives
    let pool: ThreadPool

    /// The plan for `groups` over `collectives.size` replicas.
    init(groups: ParameterGroups, collectives: any Collectives, pool: ThreadPool) {
        owners = groups.replicaAssignment(replicas: collectives.size)
        self.collectives = collectives
        self.pool = pool
    }

    /// All of `matrices` orthogonalized (this replica's share here, the rest gathered), in order.
    func orthogonalize(_ matrices: [Tensor]) throws -> [Tensor] {
        precondition(matrices.count == owners.count, "\(matrices.count) matrices for a plan of \(owners.count)")
        let mine = owners.indices.filter { owners[$0] == collectives.rank }
        let results = try MuonUpdate.orthogonalize(mine.map { matrices[$0] }, pool: pool)
        var share = ParameterSet()
        for (index, result) in zip(mine, results) { share.append(String(index), result) }
        let shares = try collectives.allGather(share)
        return matrices.indices.map { shares[owners[$0]][String($0)] }
    }
}
