import Foundation
import Lineage
import Testing
@testable import Models
@testable import Tensors
@testable import Training

@Suite struct ReplicaIntegrityTests {
    @Test func aFlipInOptimizerStateIsCaughtAndNamed() throws {
        let fixture = try TrainingFixture()
        let model = try LagunaModel.initialized(fixture.modelConfig, seed: 5)
        let optimizer = try Optimizer(adamW: AdamW.Settings(), muon: nil, parameters: model.parameters)
        var second = optimizer.adamW.secondMoments
        try FaultInjection(replica: 0, step: 1, tensor: "lm_head.weight", element: 9, bit: 30).apply(to: &second)
        let corrupted = Optimizer(
            adamW: AdamW(
                settings: optimizer.adamW.settings, stepCount: optimizer.adamW.stepCount,
                firstMoments: optimizer.adamW.firstMoments, secondMoments: second),
            muon: nil)
        let clean = WeightHash(parameters: model.parameters, optimizer: optimizer)
        let odd = WeightHash(parameters: model.parameters, optimizer: corrupted)
        #expect(IntegrityCheck.compare([odd, clean, clean]) == IntegrityCheck.Fault(oddReplicas: [0], tensors: ["adamw.v/lm_head.weight"]))
    }

    @Test func faultAndRollbackAreRecordedAsRunEventsInTheStore() throws {
        let fixture = try TrainingFixture()
        let store = try FactoryStore.open(root: fixture.directory + "/store")
        let run = try store.startRun(
            kind: "train", name: "replicas", id: "replicas-1",
            provenance: CodeProvenance(factoryVersion: "test", gitCommit: nil, gitDiffDigest: nil, executableDigest: nil, host: "test"))
        let sink = IntegrityCheckLineageSink(store: store.records, runID: run.id)
        let fault = FaultInjection(replica: 2, step: 1, tensor: "model.embed_tokens.weight", element: 40, bit: 29)
        let trainer = try ReplicatedTrainerTests.replicated(fixture, replicas: 3, microBatches: 3, steps: 2, checkEvery: 1, faults: [fault])
        #expect(trainer.faults.map(\.oddReplicas) == [[2]])
        var replay = try Trainer(
            settings: trainer.settings, model: try LagunaModel.initialized(fixture.modelConfig, seed: 5),
            sampler: try ReplicatedTrainerTests.sampler(fixture), reporting: .init(integrity: sink), injections: [fault], pool: .serial)
        try replay.run()
        let events = try store.records.events(ofRun: run.id)
        #expect(events.map(\.kind) == [.integrityFault, .rollback])
        #expect(events.map(\.step) == [1, 0])
        #expect(events.first?.details["odd_replicas"] == "2")
        #expect(events.first?.details["tensors"] == "weights/model.embed_tokens.weight")
        #expect(replay.models[2].parameters == trainer.models[0].parameters)
    }
}
