import FactoryCore
import Testing

@testable import Models
@testable import Tensors
@testable import Training

/// Sharded Muon: each replica orthogonalizes its share of the matrices and the results are
/// all-gathered; the outcome is bitwise that of orthogonalizing everything in one place.
@Suite struct ShardedMuonTests {
    @Test(arguments: [2, 3])
    func shardedOrthogonalizationMatchesUnshardedBitwise(replicas: Int) throws {
        let groups = ParameterGroups(layout: LagunaParameters.layout(of: MuonTests.moeConfig))
        let stream = RandomStream(seed: 23)
        let matrices = try groups.muonMatrices.enumerated().map { index, matrix in
            try Tensor(
                shape: [matrix.rows, matrix.columns],
                storage: (0..<(matrix.rows * matrix.columns)).map { stream.split(index).normal(at: UInt64($0)) })
        }
        let reference = try MuonUpdate.orthogonalize(matrices, pool: .serial)
        let plan = groups.replicaAssignment(replicas: replicas)
        #expect(Set(plan) == Set(0..<replicas), "every replica gets a share")
        let results = try InProcessCollectivesTests.onEveryRank(size: replicas) { collectives in
            let shards = MuonShards(groups: groups, collectives: collectives, pool: ThreadPool(threadCount: 2))
            #expect(shards.owners == plan)
            return try shards.orthogonalize(matrices)
        }
        for (rank, result) in results.enumerated() { #expect(result == reference, "replica \(rank) of \(replicas)") }
    }

    /// A sparse model on Muon (expert matrices, routing-bias updates from the gathered expert loads):
    /// sharded and unsharded replicas and the plain single-process loop end bitwise equal.
    @Test func shardedReplicasOfAnMoEModelMatchThePlainLoopBitwise() throws {
        let fixture = try TrainingFixture()
        let config = MoETrainingTests.config(fixture)
        var settings = ReplicatedTrainerTests.trainerSettings(fixture, steps: 3, microBatches: 2, optimizer: "muon")
        let reference = try ReplicatedTrainerTests.reference(fixture, config: config, microBatches: 2, steps: 3, optimizer: "muon")
        #expect(reference.model.parameters["model.layers.1.mlp.gate.e_score_correction_bias"].storage.contains { $0 != 0 })
        settings.replicas = 2
        settings.checkEvery = 1
        for shardMuon in [true, false] {
            settings.shardMuon = shardMuon
            var trainer = try Trainer(
                settings: settings, model: try LagunaModel.initialized(config, seed: 5), sampler: try ReplicatedTrainerTests.sampler(fixture),
                pool: ThreadPool(threadCount: 1))
            try trainer.run()
            #expect(trainer.faults.isEmpty)
            #expect(trainer.timings.fastChecks == 2 && trainer.timings.strongChecks == 1)
            for replica in 0..<2 {
                #expect(trainer.models[replica].parameters == reference.model.parameters, "replica \(replica), sharded: \(shardMuon)")
                #expect(trainer.states[replica].optimizer.muon?.momentum == reference.optimizer.muon?.momentum)
            }
        }
    }
}
