import FactoryCore
import Foundation
import Synchronization
import Testing

@testable import Models
@testable import Tensors
@testable import Training

@Suite struct ReplicatedTrainerTests {
    final class RecordingSink: IntegrityCheckSink {
        struct Event: Sendable {
            let kind: IntegrityEventKind
            let step: Int
            let details: [String: String]
        }
        let events = Mutex<[Event]>([])
        func record(kind: IntegrityEventKind, step: Int, message: String, details: [String: String]) throws {
            events.withLock { $0.append(Event(kind: kind, step: step, details: details)) }
        }
    }

    static func trainerSettings(
        _ fixture: TrainingFixture, steps: Int, microBatches: Int, optimizer: String, batch: Int = 2, time: Int = 16
    ) -> Trainer.Settings {
        var settings = Trainer.Settings(
            steps: steps, batch: batch, time: time, output: fixture.directory + "/unused", seed: 11,
            schedule: LearningRateSchedule(peak: 1e-2, warmupSteps: 2, totalSteps: steps, shape: .cosine, minimumRatio: 0.1, decayFraction: 0.2),
            adamW: AdamW.Settings())
        settings.muon = optimizer == "muon" ? Muon.Settings() : nil
        settings.accumulation = microBatches
        settings.gradientClip = 1
        return settings
    }

    static func sampler(_ fixture: TrainingFixture) throws -> MixtureBatchSampler {
        try MixtureBatchSampler(tokens: fixture.train, mixture: ["counting": 0.5, "poems": 0.5], time: 16, seed: 11)
    }

    static func replicated(
        _ fixture: TrainingFixture, replicas: Int, microBatches: Int, steps: Int = 4, checkEvery: Int? = 2, optimizer: String = "adamw",
        threads: Int = 1, shardMuon: Bool = true, faults: [FaultInjection] = [], sink: RecordingSink? = nil, batch: Int = 2, time: Int = 16
    ) throws -> Trainer {
        var settings = trainerSettings(fixture, steps: steps, microBatches: microBatches, optimizer: optimizer, batch: batch, time: time)
        settings.replicas = replicas
        settings.checkEvery = checkEvery
        settings.shardMuon = shardMuon
        var trainer = try Trainer(
            settings: settings, model: try LagunaModel.initialized(fixture.modelConfig, seed: 5), sampler: try sampler(fixture),
            reporting: .init(integrity: sink), injections: faults, pool: ThreadPool(threadCount: threads))
        try trainer.run()
        return trainer
    }

    /// The plain single-process loop with the same global batch as micro-batches.
    static func reference(
        _ fixture: TrainingFixture, config: LagunaConfig? = nil, microBatches: Int, steps: Int = 4, optimizer: String
    ) throws -> ReferenceLoop {
        var reference = try ReferenceLoop(
            settings: trainerSettings(fixture, steps: steps, microBatches: microBatches, optimizer: optimizer),
            model: try LagunaModel.initialized(config ?? fixture.modelConfig, seed: 5), sampler: try sampler(fixture))
        try reference.run(steps: steps)
        return reference
    }

    @Test(arguments: ["adamw", "muon"])
    func oneTwoAndFourReplicasMatchThePlainLoopBitwise(optimizer: String) throws {
        let fixture = try TrainingFixture()
        let reference = try Self.reference(fixture, microBatches: 4, optimizer: optimizer)
        for replicas in [1, 2, 4] {
            let trainer = try Self.replicated(fixture, replicas: replicas, microBatches: 4, optimizer: optimizer, threads: 2)
            #expect(trainer.faults.isEmpty)
            #expect(trainer.currentStep == 4)
            for replica in 0..<replicas {
                #expect(trainer.models[replica].parameters == reference.model.parameters, "replica \(replica) of \(replicas)")
                #expect(trainer.states[replica].optimizer.adamW.firstMoments == reference.optimizer.adamW.firstMoments)
                #expect(trainer.states[replica].optimizer.adamW.secondMoments == reference.optimizer.adamW.secondMoments)
                #expect(trainer.states[replica].optimizer.muon?.momentum == reference.optimizer.muon?.momentum)
            }
        }
    }

    @Test func bitwiseIdenticalAcrossThreadCounts() throws {
        let fixture = try TrainingFixture()
        let serial = try Self.replicated(fixture, replicas: 2, microBatches: 2, threads: 1)
        let parallel = try Self.replicated(fixture, replicas: 2, microBatches: 2, threads: 3)
        #expect(serial.models[0].parameters == parallel.models[0].parameters)
        #expect(serial.models[1].parameters == parallel.models[1].parameters)
    }

    @Test func injectedBitFlipIsDetectedNamedAndRolledBackToTheCleanResult() throws {
        let fixture = try TrainingFixture()
        let clean = try Self.replicated(fixture, replicas: 3, microBatches: 3)
        let sink = RecordingSink()
        let fault = FaultInjection(replica: 1, step: 3, tensor: "model.layers.0.mlp.up_proj.weight", element: 17, bit: 22)
        let faulty = try Self.replicated(fixture, replicas: 3, microBatches: 3, faults: [fault], sink: sink)
        #expect(faulty.faults == [IntegrityCheck.Fault(oddReplicas: [1], tensors: ["weights/model.layers.0.mlp.up_proj.weight"])])
        let events = sink.events.withLock { $0 }
        #expect(events.map(\.kind) == [.integrityFault, .rollback])
        #expect(events.map(\.step) == [4, 2])
        #expect(events.first?.details["odd_replicas"] == "1")
        #expect(events.last?.details["from_step"] == "4")
        for replica in 0..<3 { #expect(faulty.models[replica].parameters == clean.models[0].parameters) }
        #expect(faulty.states[0].optimizer.adamW.secondMoments == clean.states[0].optimizer.adamW.secondMoments)
    }

    @Test(arguments: [0, 1])
    func twoReplicasRollBackThenNameTheCulpritByTheReplay(culprit: Int) throws {
        let fixture = try TrainingFixture()
        let clean = try Self.replicated(fixture, replicas: 2, microBatches: 2)
        let sink = RecordingSink()
        // Injected right after step 2's update, so the check at step 2 sees it.
        let fault = FaultInjection(replica: culprit, step: 2, tensor: "model.norm.weight", element: 3, bit: 0)
        let faulty = try Self.replicated(fixture, replicas: 2, microBatches: 2, faults: [fault], sink: sink)
        #expect(faulty.faults.map(\.oddReplicas) == [[culprit]])
        let events = sink.events.withLock { $0 }
        #expect(events.map(\.kind) == [.integrityFault, .rollback, .warning])
        #expect(events.map(\.step) == [2, 0, 2])
        #expect(events.first?.details["odd_replicas"] == "undetermined (no majority; the replay will tell)")
        #expect(events.last?.details["odd_replicas"] == "\(culprit)")
        // Checked a step after the flip, the corrupted replica's gradients have reached the other
        // one: both differ from the replay, and the culprit cannot be told.
        let late = RecordingSink()
        let lateFault = FaultInjection(replica: culprit, step: 1, tensor: "model.norm.weight", element: 3, bit: 20)
        let lateFaulty = try Self.replicated(fixture, replicas: 2, microBatches: 2, faults: [lateFault], sink: late)
        #expect(lateFaulty.faults.map(\.oddReplicas) == [[]])
        #expect(late.events.withLock { $0.map(\.kind) } == [.integrityFault, .rollback, .warning])
        #expect(late.events.withLock { $0.last?.details["odd_replicas"] } == "undetermined")
        #expect(lateFaulty.models[culprit].parameters == clean.models[0].parameters)
        #expect(faulty.models[0].parameters == clean.models[0].parameters)
        #expect(faulty.models[1].parameters == clean.models[1].parameters)
    }

    @Test func everyRandomBitFlipChangesTheHashAndNamesTheReplica() throws {
        let fixture = try TrainingFixture()
        let model = try LagunaModel.initialized(fixture.modelConfig, seed: 5)
        let optimizer = try Optimizer(adamW: AdamW.Settings(), muon: nil, parameters: model.parameters)
        let clean = WeightHash(parameters: model.parameters, optimizer: optimizer)
        let stream = RandomStream(seed: 3)
        for trial in 0..<50 {
            let names = model.parameters.names
            let tensor = names[Int(stream.word(at: UInt64(3 * trial)) % UInt64(names.count))]
            let element = Int(stream.word(at: UInt64(3 * trial + 1)) % UInt64(model.parameters[tensor].count))
            let bit = Int(stream.word(at: UInt64(3 * trial + 2)) % 32)
            var corrupted = model.parameters
            try FaultInjection(replica: 2, step: 1, tensor: tensor, element: element, bit: bit).apply(to: &corrupted)
            let odd = WeightHash(parameters: corrupted, optimizer: optimizer)
            let fault = IntegrityCheck.compare([clean, clean, odd, clean])
            #expect(fault == IntegrityCheck.Fault(oddReplicas: [2], tensors: ["weights/" + tensor]), "trial \(trial)")
        }
        #expect(IntegrityCheck.compare([clean, clean]) == nil)
    }

    @Test func aResumedRunEndsBitwiseEqualToAnUninterruptedOne() throws {
        let fixture = try TrainingFixture()
        var settings = Self.trainerSettings(fixture, steps: 4, microBatches: 2, optimizer: "muon")
        settings.checkpointEvery = 2
        settings.output = fixture.directory + "/first"
        settings.replicas = 2
        settings.checkEvery = 1
        func trainer() throws -> Trainer {
            try Trainer(
                settings: settings, model: try LagunaModel.initialized(fixture.modelConfig, seed: 5),
                sampler: try Self.sampler(fixture), reporting: .init(writesCheckpoints: true), pool: .serial)
        }
        var uninterrupted = try trainer()
        try uninterrupted.run()
        settings.output = fixture.directory + "/resumed"
        var resumed = try trainer()
        try resumed.resume(from: fixture.directory + "/first/checkpoints/step-0000002")
        #expect(resumed.currentStep == 2)
        try resumed.run()
        #expect(resumed.timings.stepSeconds.count == 2)
        for replica in 0..<2 {
            #expect(resumed.models[replica].parameters == uninterrupted.models[0].parameters)
            #expect(resumed.states[replica].optimizer.muon?.momentum == uninterrupted.states[0].optimizer.muon?.momentum)
            #expect(resumed.states[replica].optimizer.adamW.stepCount == 4)
        }
    }

    @Test func invalidSettingsAndFaultsAreRejected() throws {
        let fixture = try TrainingFixture()
        #expect { try Self.replicated(fixture, replicas: 3, microBatches: 4) } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "replicas" && message.contains("3 replicas do not divide the 4 micro-batches")
        }
        #expect { try Self.replicated(fixture, replicas: 1, microBatches: 1, checkEvery: 0) } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "check every" && message.contains("0 is not a positive step count")
        }
        var parameters = try LagunaModel.initialized(fixture.modelConfig, seed: 5).parameters
        #expect {
            try FaultInjection(replica: 0, step: 1, tensor: "nope", element: 0, bit: 0).apply(to: &parameters)
        } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "fault tensor" && message.contains("'nope' is not a tensor of this model")
        }
        #expect {
            try FaultInjection(replica: 0, step: 1, tensor: "model.norm.weight", element: 0, bit: 32).apply(to: &parameters)
        } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "fault bit" && message.contains("32 is not a bit of a 32-bit float")
        }
    }
}
