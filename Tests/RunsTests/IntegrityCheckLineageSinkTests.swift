import Foundation
import Lineage
import Testing

@testable import Models
@testable import Runs
@testable import Training

/// Integrity events of a replicated trainer land in the lineage store as run events.
@Suite struct IntegrityCheckLineageSinkTests {
    /// Three replicas checked every step, two steps, with `faults` injected.
    static func trainer(_ fixture: TrainingFixture, faults: [FaultInjection], sink: IntegrityCheckLineageSink? = nil) throws -> Trainer {
        var settings = Trainer.Settings(
            steps: 2, batch: 2, time: 16, output: fixture.directory + "/unused", seed: 11,
            schedule: LearningRateSchedule(peak: 1e-2, warmupSteps: 2, totalSteps: 2, shape: .cosine, minimumRatio: 0.1, decayFraction: 0.2),
            adamW: AdamW.Settings())
        settings.accumulation = 3
        settings.gradientClip = 1
        settings.replicas = 3
        settings.checkEvery = 1
        return try Trainer(
            settings: settings, model: try LagunaModel.initialized(fixture.modelConfig, seed: 5),
            sampler: try MixtureBatchSampler(tokens: fixture.train, mixture: ["counting": 0.5, "poems": 0.5], time: 16, seed: 11),
            reporting: .init(integrity: sink), injections: faults, pool: .serial)
    }

    @Test func faultAndRollbackAreRecordedAsRunEventsInTheStore() throws {
        let fixture = try TrainingFixture()
        let store = try FactoryStore.open(root: fixture.directory + "/store")
        let run = try store.startRun(
            kind: "train", name: "replicas", id: "replicas-1",
            provenance: CodeProvenance(factoryVersion: "test", gitCommit: nil, gitDiffDigest: nil, executableDigest: nil, host: "test"))
        let sink = IntegrityCheckLineageSink(store: store.records, runID: run.id)
        let fault = FaultInjection(replica: 2, step: 1, tensor: "model.embed_tokens.weight", element: 40, bit: 29)
        var trainer = try Self.trainer(fixture, faults: [fault])
        try trainer.run()
        #expect(trainer.faults.map(\.oddReplicas) == [[2]])
        var replay = try Self.trainer(fixture, faults: [fault], sink: sink)
        try replay.run()
        let events = try store.records.events(ofRun: run.id)
        #expect(events.map(\.kind) == [.integrityFault, .rollback])
        #expect(events.map(\.step) == [1, 0])
        #expect(events.first?.details["odd_replicas"] == "2")
        #expect(events.first?.details["tensors"] == "weights/model.embed_tokens.weight")
        #expect(replay.models[2].parameters == trainer.models[0].parameters)
    }
}
