import Evaluation
import FactoryCore
import Foundation
import Synchronization
import Testing

@testable import Models
@testable import Tensors
@testable import Training

@Suite struct TrainerTests {
    final class RecordingSink: MetricSink, @unchecked Sendable {
        var points: [(Int, [String: Double])] = []
        func record(step: Int, values: [String: Double]) throws { points.append((step, values)) }
    }

    static func makeTrainer(
        _ fixture: TrainingFixture, output: String, steps: Int, threads: Int, optimizer: String = "adamw", sink: RecordingSink? = nil
    ) throws -> Trainer {
        var settings = Trainer.Settings(
            steps: steps, batch: 4, time: 16, output: output, seed: 11,
            schedule: LearningRateSchedule(peak: 1e-2, warmupSteps: 3, totalSteps: steps, shape: .cosine, minimumRatio: 0.1, decayFraction: 0.2),
            adamW: AdamW.Settings())
        settings.muon = optimizer == "muon" ? Muon.Settings() : nil
        settings.accumulation = 2
        settings.gradientClip = 1
        settings.checkpointEvery = 4
        settings.evalEvery = steps
        settings.logEvery = 2
        let sampler = try MixtureBatchSampler(
            tokens: fixture.train, mixture: ["counting": 0.5, "poems": 0.5], time: 16, seed: 11)
        let evaluator = try DomainEvaluator(
            validation: fixture.validation, tokenizer: fixture.tokenizer, time: 16, batchSize: 4, maximumSequences: 8, source: "validation")
        return try Trainer(
            settings: settings, model: try LagunaModel.initialized(fixture.modelConfig, seed: 5), sampler: sampler,
            reporting: .init(metrics: sink, evaluator: evaluator, writesCheckpoints: true, tokenizerPath: fixture.tokenizerPath),
            pool: ThreadPool(threadCount: threads))
    }

    @Test(arguments: ["adamw", "muon"])
    func bitwiseIdenticalWith1And2ThreadsAndAfterResume(optimizer: String) throws {
        let fixture = try TrainingFixture()
        var single = try Self.makeTrainer(fixture, output: fixture.directory + "/run1", steps: 10, threads: 1, optimizer: optimizer)
        try single.run()
        var double = try Self.makeTrainer(fixture, output: fixture.directory + "/run2", steps: 10, threads: 2, optimizer: optimizer)
        try double.run()
        #expect(single.states[0].optimizer.name == optimizer)
        #expect(single.models[0].parameters == double.models[0].parameters)
        #expect(single.states[0].optimizer.adamW.firstMoments == double.states[0].optimizer.adamW.firstMoments)
        #expect(single.states[0].optimizer.muon?.momentum == double.states[0].optimizer.muon?.momentum)
        #expect((single.states[0].optimizer.muon == nil) == (optimizer == "adamw"))

        // Resume a fresh trainer from the uninterrupted run's checkpoint at step 4.
        #expect(Trainer.latestCheckpoint(in: fixture.directory + "/run1") == fixture.directory + "/run1/checkpoints/step-0000008")
        let latest = fixture.directory + "/run1/checkpoints/step-0000004"
        var resumed = try Self.makeTrainer(fixture, output: fixture.directory + "/run3", steps: 10, threads: 1, optimizer: optimizer)
        try resumed.resume(from: latest)
        #expect(resumed.currentStep == 4)
        try resumed.run()
        #expect(resumed.models[0].parameters == single.models[0].parameters)
        #expect(resumed.states[0].optimizer.muon?.momentum == single.states[0].optimizer.muon?.momentum)

        // The other optimizer cannot resume this checkpoint.
        var other = try Self.makeTrainer(
            fixture, output: fixture.directory + "/run4", steps: 10, threads: 1, optimizer: optimizer == "muon" ? "adamw" : "muon")
        #expect { try other.resume(from: latest) } throws: { error in
            guard case .corrupt(let path, let reason) = error as? FactoryError else { return false }
            return path == latest + "/trainer_state.safetensors" && reason.contains("holds '\(optimizer)' optimizer state")
                && reason.contains("optimizer.name")
        }

        // The final checkpoints of both uninterrupted runs are byte-identical files.
        for file in ["model.safetensors", "trainer_state.safetensors"] {
            let a = FileManager.default.contents(atPath: fixture.directory + "/run1/final/" + file)
            let b = FileManager.default.contents(atPath: fixture.directory + "/run2/final/" + file)
            #expect(a != nil && a == b, "\(file) differs")
        }
    }

    @Test(arguments: ["adamw", "muon"])
    func lossFallsAndMetricsAreReported(optimizer: String) throws {
        let fixture = try TrainingFixture()
        let sink = RecordingSink()
        var trainer = try Self.makeTrainer(
            fixture, output: fixture.directory + "/run", steps: 30, threads: 2, optimizer: optimizer, sink: sink)
        let evaluator = try #require(trainer.reporting.evaluator)
        let before = try evaluator.evaluate(trainer.models[0], pool: .serial)
        let (_, after) = try trainer.run()
        for domain in ["counting", "poems"] {
            let (start, end) = (try #require(before[domain]), try #require(after[domain]))
            #expect(end.loss < start.loss - 0.5, "\(domain): validation loss \(start.loss) → \(end.loss)")
            #expect(end.bitsPerByte > 0 && end.bitsPerByte < start.bitsPerByte)
        }
        let trainLosses = sink.points.compactMap { $0.1["train/loss"] }
        #expect(trainLosses.count == 15)
        let fractions = sink.points.compactMap { $0.1["train/optimizer_fraction"] }
        #expect(fractions.count == 15 && fractions.allSatisfy { $0 > 0 && $0 < 1 })
        #expect(sink.points.contains { $0.1["eval/loss"] != nil && $0.0 == 30 })
    }

    @Test func samplerIsAPureFunctionOfSeedAndStep() throws {
        let fixture = try TrainingFixture()
        let sampler = try MixtureBatchSampler(tokens: fixture.train, mixture: ["counting": 1, "poems": 3], time: 8, seed: 2)
        #expect(try sampler.batch(step: 7, size: 3, time: 8).inputs == sampler.batch(step: 7, size: 3, time: 8).inputs)
        #expect(try sampler.batch(step: 7, size: 3, time: 8).inputs != sampler.batch(step: 8, size: 3, time: 8).inputs)
        #expect(try sampler.batch(step: 7, replica: 1, size: 3, time: 8).inputs != sampler.batch(step: 7, size: 3, time: 8).inputs)
        let (inputs, targets) = try sampler.batch(step: 0, size: 2, time: 8)
        // Targets are the inputs shifted by one within each window.
        for row in 0..<2 { #expect(Array(inputs.tokens[(row * 8 + 1)..<(row * 8 + 8)]) == Array(targets[(row * 8)..<(row * 8 + 7)])) }
        #expect { try MixtureBatchSampler(tokens: fixture.train, mixture: ["code": 1], time: 8, seed: 1) } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "mixture domain 'code'" && message.contains("not in the shards (domains: counting, poems)")
        }
    }
}
