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
            schedule: LearningRateSchedule(peak: 1e-2, warmupSteps: 3, totalSteps: steps, shape: .cosine),
            adamW: AdamW.Settings())
        settings.muon = optimizer == "muon" ? Muon.Settings() : nil
        settings.accumulation = 2
        settings.checkpointEvery = 4
        settings.evalEvery = steps
        settings.logEvery = 2
        let sampler = try MixtureBatchSampler(
            tokens: fixture.train, mixture: ["counting": 0.5, "poems": 0.5], time: 16, seed: 11)
        let evaluator = DomainEvaluator(
            validation: fixture.validation, tokenizer: fixture.tokenizer, time: 16, batchSize: 4, maximumSequences: 8)
        return try Trainer(
            settings: settings, model: try LagunaModel.initialized(fixture.modelConfig, seed: 5), sampler: sampler,
            evaluator: evaluator, sink: sink, tokenizerPath: fixture.tokenizerPath, pool: ThreadPool(threadCount: threads))
    }

    @Test(arguments: ["adamw", "muon"])
    func bitwiseIdenticalWith1And2ThreadsAndAfterResume(optimizer: String) throws {
        let fixture = try TrainingFixture()
        var single = try Self.makeTrainer(fixture, output: fixture.directory + "/run1", steps: 10, threads: 1, optimizer: optimizer)
        try single.run()
        var double = try Self.makeTrainer(fixture, output: fixture.directory + "/run2", steps: 10, threads: 2, optimizer: optimizer)
        try double.run()
        #expect(single.state.optimizer.name == optimizer)
        #expect(single.model.parameters == double.model.parameters)
        #expect(single.state.optimizer.adamW.firstMoments == double.state.optimizer.adamW.firstMoments)
        #expect(single.state.optimizer.muon?.momentum == double.state.optimizer.muon?.momentum)
        #expect((single.state.optimizer.muon == nil) == (optimizer == "adamw"))

        // Stop after 4 steps (a checkpoint is written at step 4), then resume in a fresh trainer.
        var first = try Self.makeTrainer(fixture, output: fixture.directory + "/run3", steps: 10, threads: 2, optimizer: optimizer)
        for _ in 0..<4 { _ = try first.step() }
        try first.writeCheckpoint(to: fixture.directory + "/run3/checkpoints/step-0000004")
        let latest = try #require(Trainer.latestCheckpoint(in: fixture.directory + "/run3"))
        var resumed = try Self.makeTrainer(fixture, output: fixture.directory + "/run3", steps: 10, threads: 1, optimizer: optimizer)
        try resumed.resume(from: latest)
        #expect(resumed.state.step == 4)
        #expect(resumed.state.optimizer.muon?.momentum == first.state.optimizer.muon?.momentum)
        try resumed.run()
        #expect(resumed.model.parameters == single.model.parameters)
        #expect(resumed.state.optimizer.muon?.momentum == single.state.optimizer.muon?.momentum)

        // The other optimizer cannot resume this checkpoint.
        var other = try Self.makeTrainer(
            fixture, output: fixture.directory + "/run4", steps: 10, threads: 1, optimizer: optimizer == "muon" ? "adamw" : "muon")
        #expect(throws: FactoryError.self) { try other.resume(from: latest) }

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
        let before = try trainer.evaluate()
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
        #expect(throws: FactoryError.self) { try MixtureBatchSampler(tokens: fixture.train, mixture: ["code": 1], time: 8, seed: 1) }
    }
}
