import FactoryCore
import Foundation
import Testing

@testable import Models
@testable import Tensors
@testable import Training

/// Fault drills in replicated training: flips in weights, optimizer state and gradients are caught
/// at the next check, the odd replica is named, and the run rolls back to end as the clean run.
@Suite struct ReplicaFaultDrillTests {
    typealias Sink = ReplicatedTrainerTests.RecordingSink

    static func expectEqualReplicas(_ trainer: Trainer, to clean: Trainer, _ comment: Comment) {
        for replica in trainer.models.indices {
            #expect(trainer.models[replica].parameters == clean.models[0].parameters, comment)
            #expect(trainer.states[replica].optimizer.adamW.firstMoments == clean.states[0].optimizer.adamW.firstMoments, comment)
            #expect(trainer.states[replica].optimizer.adamW.secondMoments == clean.states[0].optimizer.adamW.secondMoments, comment)
            #expect(trainer.states[replica].optimizer.muon?.momentum == clean.states[0].optimizer.muon?.momentum, comment)
        }
    }

    /// 50 trials of a random bit of a random element of a random weight or optimizer-state tensor
    /// of a random replica at a random step, checked every step.
    @Test func fiftyRandomBitFlipsAreCaughtNamedAndRolledBackToTheCleanRun() throws {
        let fixture = try TrainingFixture()
        // One sequence of 8 tokens per replica and step: the model is what matters here, not the data.
        let clean = try ReplicatedTrainerTests.replicated(
            fixture, replicas: 3, microBatches: 3, steps: 2, checkEvery: 1, optimizer: "muon", batch: 1, time: 8)
        let optimizer = clean.states[0].optimizer
        let tensors: [(label: String, set: ParameterSet)] = [
            ("weights", clean.models[0].parameters), ("adamw.m", optimizer.adamW.firstMoments),
            ("adamw.v", optimizer.adamW.secondMoments), ("muon.momentum", optimizer.muon!.momentum),
        ]
        let stream = RandomStream(seed: 41)
        for trial in 0..<50 {
            let draw = stream.split(trial)
            let (label, set) = tensors[Int(draw.word(at: 0) % UInt64(tensors.count))]
            let name = set.names[Int(draw.word(at: 1) % UInt64(set.names.count))]
            let fault = FaultInjection(
                replica: Int(draw.word(at: 2) % 3), step: 1 + Int(draw.word(at: 3) % 2),
                tensor: label == "weights" ? name : label + "/" + name, element: Int(draw.word(at: 4) % UInt64(set[name].count)),
                bit: Int(draw.word(at: 5) % 32), target: label == "weights" ? .weights : .optimizer)
            let sink = Sink()
            let faulty = try ReplicatedTrainerTests.replicated(
                fixture, replicas: 3, microBatches: 3, steps: 2, checkEvery: 1, optimizer: "muon", faults: [fault], sink: sink, batch: 1, time: 8)
            let comment: Comment = "trial \(trial): \(fault)"
            #expect(faulty.faults == [IntegrityCheck.Fault(oddReplicas: [fault.replica], tensors: [label + "/" + name])], comment)
            let events = sink.events.withLock { $0 }
            #expect(events.map(\.kind) == [.integrityFault, .rollback], comment)
            #expect(events.map(\.step) == [fault.step, fault.step - 1], comment)
            #expect(events.first?.details["odd_replicas"] == "\(fault.replica)", comment)
            Self.expectEqualReplicas(faulty, to: clean, comment)
        }
    }

    @Test func aFlipInOptimizerStateIsCaughtAndRolledBackInTraining() throws {
        let fixture = try TrainingFixture()
        let clean = try ReplicatedTrainerTests.replicated(fixture, replicas: 3, microBatches: 3)
        for (tensor, qualified) in [("adamw.v/lm_head.weight", "adamw.v/lm_head.weight"), ("model.norm.weight", "adamw.m/model.norm.weight")] {
            let sink = Sink()
            let fault = FaultInjection(replica: 1, step: 2, tensor: tensor, element: 9, bit: 30, target: .optimizer)
            let faulty = try ReplicatedTrainerTests.replicated(fixture, replicas: 3, microBatches: 3, faults: [fault], sink: sink)
            #expect(faulty.faults == [IntegrityCheck.Fault(oddReplicas: [1], tensors: [qualified])])
            #expect(sink.events.withLock { $0.map(\.step) } == [2, 0])
            Self.expectEqualReplicas(faulty, to: clean, "optimizer flip in \(tensor)")
        }
    }

    @Test func aFlipInOneReplicasGradientIsCaughtThroughItsUpdate() throws {
        let fixture = try TrainingFixture()
        let clean = try ReplicatedTrainerTests.replicated(fixture, replicas: 3, microBatches: 3)
        let fault = FaultInjection(
            replica: 2, step: 3, tensor: "model.layers.1.self_attn.q_proj.weight", element: 5, bit: 30, target: .gradient)
        let faulty = try ReplicatedTrainerTests.replicated(fixture, replicas: 3, microBatches: 3, faults: [fault])
        #expect(faulty.faults.map(\.oddReplicas) == [[2]])
        #expect(faulty.faults.first?.tensors.contains("weights/model.layers.1.self_attn.q_proj.weight") == true)
        Self.expectEqualReplicas(faulty, to: clean, "gradient flip")
    }

    /// With periodic checks off, the SHA-256 check at a checkpoint still catches a flip before the
    /// checkpoint is written; the checkpoints written are byte for byte those of a single replica.
    @Test func checkpointsAreVerifiedWithSHA256AndMatchASingleReplicasFiles() throws {
        let fixture = try TrainingFixture()
        var settings = ReplicatedTrainerTests.trainerSettings(fixture, steps: 4, microBatches: 3, optimizer: "muon")
        settings.checkpointEvery = 2
        settings.output = fixture.directory + "/single"
        var single = try Trainer(
            settings: settings, model: try LagunaModel.initialized(fixture.modelConfig, seed: 5),
            sampler: try ReplicatedTrainerTests.sampler(fixture),
            reporting: .init(writesCheckpoints: true, tokenizerPath: fixture.tokenizerPath), pool: .serial)
        try single.run()
        settings.output = fixture.directory + "/replicated"
        settings.replicas = 3
        let sink = Sink()
        var replicated = try Trainer(
            settings: settings, model: try LagunaModel.initialized(fixture.modelConfig, seed: 5),
            sampler: try ReplicatedTrainerTests.sampler(fixture),
            reporting: .init(integrity: sink, writesCheckpoints: true, tokenizerPath: fixture.tokenizerPath),
            injections: [FaultInjection(replica: 0, step: 2, tensor: "model.layers.0.self_attn.o_proj.weight", element: 3, bit: 1)],
            pool: .serial)
        try replicated.run()
        let events = sink.events.withLock { $0 }
        #expect(events.map(\.kind) == [.integrityFault, .rollback])
        #expect(events.map(\.step) == [2, 0])
        #expect(events.first?.details["hash"] == "sha256")
        #expect(events.first?.details["odd_replicas"] == "0")
        #expect(replicated.timings.fastChecks == 0 && replicated.timings.strongChecks == 3)
        for folder in ["checkpoints/step-0000002", "final"] {
            for file in [
                LagunaCheckpoint.weightsFileName, TrainerState.fileName, FactoryCheckpointManifest.fileName, LagunaCheckpoint.tokenizerFileName,
            ] {
                let expected = FileManager.default.contents(atPath: "\(fixture.directory)/single/\(folder)/\(file)")
                #expect(expected != nil)
                #expect(FileManager.default.contents(atPath: "\(fixture.directory)/replicated/\(folder)/\(file)") == expected, "\(folder)/\(file)")
            }
        }
    }

    @Test func faultsParseFromTheCommandLineForm() throws {
        #expect(
            try FaultInjection(parsing: "replica=1,step=37,tensor=model.norm.weight,bit=22")
                == FaultInjection(replica: 1, step: 37, tensor: "model.norm.weight", element: 0, bit: 22, target: .weights))
        #expect(
            try FaultInjection(parsing: "replica=0, step=5, tensor=adamw.v/lm_head.weight, bit=3, element=7, target=optimizer")
                == FaultInjection(replica: 0, step: 5, tensor: "adamw.v/lm_head.weight", element: 7, bit: 3, target: .optimizer))
        for (text, message) in [
            ("replica=1,step=2,bit=3", "'tensor' is missing"),
            ("replica=1,step=x,tensor=a,bit=3", "step 'x' is not an integer"),
            ("replica=1,step=2,tensor=a,bit=3,colour=red", "unknown key 'colour' (known: replica, step, tensor, bit, element, target)"),
            ("replica=1,step=2,tensor=a,bit=3,target=cache", "target 'cache' is not one of weights, gradient, optimizer"),
            ("replica=1,step=2,tensor=a,bit", "'bit' is not key=value"),
            ("replica=1,replica=2,step=2,tensor=a,bit=3", "'replica' is given twice"),
        ] {
            #expect(throws: FactoryError.invalidArgument(name: "--inject-fault '\(text)'", message: message)) {
                try FaultInjection(parsing: text)
            }
        }
    }

    @Test func injectionsOutsideTheRunAreRejected() throws {
        let fixture = try TrainingFixture()
        for (fault, name) in [
            (FaultInjection(replica: 3, step: 1, tensor: "model.norm.weight", bit: 0), "fault replica"),
            (FaultInjection(replica: 0, step: 5, tensor: "model.norm.weight", bit: 0), "fault step"),
            (FaultInjection(replica: 0, step: 1, tensor: "model.norm.weight", element: 32, bit: 0), "fault element"),
            (FaultInjection(replica: 0, step: 1, tensor: "nope", bit: 0, target: .gradient), "fault tensor"),
            (FaultInjection(replica: 0, step: 1, tensor: "muon.momentum/model.norm.weight", bit: 0, target: .optimizer), "fault tensor"),
        ] {
            #expect {
                try ReplicatedTrainerTests.replicated(fixture, replicas: 3, microBatches: 3, faults: [fault])
            } throws: { error in
                guard case FactoryError.invalidArgument(let thrown, _) = error else { return false }
                return thrown == name
            }
        }
    }
}
