import FactoryCore
import Foundation
import Synchronization
import Testing

@testable import Models
@testable import Tensors
@testable import Training

/// A non-finite loss or gradient norm stops the run at once (or, when allowed, skips the step and
/// counts it), and no NaN or infinity is ever written into a checkpoint or `final/`.
@Suite struct DivergenceTests {
    final class EventRecorder: IntegrityCheckSink, @unchecked Sendable {
        let events = Mutex<[(IntegrityEventKind, Int, String)]>([])
        func record(kind: IntegrityEventKind, step: Int, message: String, details: [String: String]) throws {
            events.withLock { $0.append((kind, step, message)) }
        }
    }

    /// A trainer whose final norm weight becomes NaN after step 2 (bit 30 flipped: all exponent
    /// bits set), so the loss of step 3 is not finite.
    static func divergingTrainer(
        _ fixture: TrainingFixture, output: String, skips: Int = 0, checkpointEvery: Int? = nil, events: EventRecorder? = nil
    ) throws -> Trainer {
        var settings = Trainer.Settings(
            steps: 6, batch: 2, time: 16, output: output, seed: 11,
            schedule: LearningRateSchedule(peak: 1e-2, warmupSteps: 0, totalSteps: 6, shape: .constant, minimumRatio: 0.1, decayFraction: 0.2),
            adamW: AdamW.Settings())
        settings.gradientClip = 1
        settings.skipNonfiniteSteps = skips
        settings.checkpointEvery = checkpointEvery
        let sampler = try MixtureBatchSampler(tokens: fixture.train, mixture: ["counting": 0.5, "poems": 0.5], time: 16, seed: 11)
        return try Trainer(
            settings: settings, model: try LagunaModel.initialized(fixture.modelConfig, seed: 5), sampler: sampler,
            reporting: .init(integrity: events, writesCheckpoints: true, tokenizerPath: fixture.tokenizerPath),
            injections: [FaultInjection(replica: 0, step: 2, tensor: "model.norm.weight", bit: 30)],
            pool: ThreadPool(threadCount: 1))
    }

    @Test func aNonFiniteLossStopsTheRunAtThatStepWithoutWritingFinal() throws {
        let fixture = try TrainingFixture()
        let output = fixture.directory + "/diverged"
        var trainer = try Self.divergingTrainer(fixture, output: output)
        #expect {
            try trainer.run()
        } throws: { error in
            guard let divergence = error as? TrainingDivergence else { return false }
            return divergence.step == 3 && !divergence.loss.isFinite && divergence.skipped == 0
                && divergence.description.hasPrefix("training diverged at step 3: the ")
                && divergence.description.hasSuffix("or set train.skip_nonfinite_steps to skip such steps")
        }
        #expect(!FileManager.default.fileExists(atPath: output + "/final"))
        #expect(!FileManager.default.fileExists(atPath: output + "/checkpoints"))
    }

    @Test func skippedStepsAreCountedRecordedAndLimited() throws {
        let fixture = try TrainingFixture()
        let events = EventRecorder()
        var trainer = try Self.divergingTrainer(fixture, output: fixture.directory + "/skipping", skips: 2, events: events)
        #expect {
            try trainer.run()
        } throws: { error in
            guard let divergence = error as? TrainingDivergence else { return false }
            return divergence.step == 5 && divergence.skipped == 2 && divergence.allowedSkips == 2
                && divergence.description.hasSuffix("2 steps already skipped, the most train.skip_nonfinite_steps allows")
        }
        let recorded = events.events.withLock { $0 }
        #expect(recorded.map(\.0) == [.skippedStep, .skippedStep])
        #expect(recorded.map(\.1) == [3, 4])
        #expect(recorded.allSatisfy { $0.2.contains("of at most 2 skips, train.skip_nonfinite_steps") })
    }

    @Test func aCheckpointOfNonFiniteWeightsIsNeverWritten() throws {
        let fixture = try TrainingFixture()
        let output = fixture.directory + "/guarded"
        var trainer = try Self.divergingTrainer(fixture, output: output, checkpointEvery: 2)
        #expect {
            try trainer.run()
        } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "model weights"
                && message
                    == "model.norm.weight holds nan at element 0; the checkpoint \(output)/checkpoints/step-0000002 is not written (diverged weights)"
        }
        #expect(!FileManager.default.fileExists(atPath: output + "/checkpoints/step-0000002"))
    }

    @Test func nonFiniteValuesAreFoundByTensorAndElement() throws {
        var parameters = ParameterSet()
        parameters.append("a", try Tensor(shape: [3], storage: [1, 2, 3]))
        parameters.append("b", try Tensor(shape: [2, 2], storage: [0, 1, -.infinity, .nan]))
        #expect(NonFiniteValue.first(in: parameters) == NonFiniteValue(tensor: "b", index: 2, value: -.infinity))
        #expect(NonFiniteValue.first(in: try Tensor(shape: [2], storage: [1, 2])) == nil)
    }
}
