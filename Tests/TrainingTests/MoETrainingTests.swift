import Evaluation
import FactoryCore
import Foundation
import Testing

@testable import Models
@testable import Tensors
@testable import Training

/// Training sparse (MoE) models through the `Trainer`: auxiliary-loss-free balancing, load
/// metrics, determinism and resume.
@Suite struct MoETrainingTests {
    /// The fixture's model with layer 1 sparse: 16 experts of width 16, top 2, one shared expert.
    static func config(_ fixture: TrainingFixture) -> LagunaConfig {
        var config = fixture.modelConfig
        config.mlpLayerTypes = [.dense, .sparse]
        config.numExperts = 16
        config.numExpertsPerToken = 2
        config.moeIntermediateSize = 16
        config.sharedExpertIntermediateSize = 16
        return config
    }

    static func makeTrainer(
        _ fixture: TrainingFixture, output: String, steps: Int, biasRate: Float, threads: Int = 2, sink: TrainerTests.RecordingSink? = nil
    ) throws -> Trainer {
        var settings = Trainer.Settings(
            steps: steps, batch: 4, time: 16, output: output, seed: 3,
            schedule: LearningRateSchedule(peak: 1e-2, warmupSteps: 3, totalSteps: steps, shape: .cosine, minimumRatio: 0.1, decayFraction: 0.2),
            adamW: AdamW.Settings())
        settings.expertBiasUpdateRate = biasRate
        settings.gradientClip = 1
        settings.logEvery = 1
        settings.checkpointEvery = 3
        let sampler = try MixtureBatchSampler(tokens: fixture.train, mixture: ["counting": 0.5, "poems": 0.5], time: 16, seed: 3)
        return try Trainer(
            settings: settings, model: try LagunaModel.initialized(config(fixture), seed: 9), sampler: sampler,
            reporting: .init(metrics: sink, writesCheckpoints: true), pool: ThreadPool(threadCount: threads))
    }

    /// Max/mean expert load of layer 1 at every step of a run, as the trainer records it.
    static func loadRatios(_ fixture: TrainingFixture, biasRate: Float) throws -> [Double] {
        let sink = TrainerTests.RecordingSink()
        var trainer = try makeTrainer(fixture, output: fixture.directory + "/rate-\(biasRate)", steps: 40, biasRate: biasRate, sink: sink)
        try trainer.run()
        for key in ["moe/layer_1/max_load", "moe/layer_1/mean_load", "moe/layer_1/zero_fraction", "moe/max_over_mean"] {
            #expect(sink.points.allSatisfy { $0.1[key] != nil }, "metric \(key) not recorded at every step")
        }
        let bias = trainer.models[0].parameters["model.layers.1.mlp.gate.e_score_correction_bias"]
        #expect(bias.storage.contains { $0 != 0 } == (biasRate > 0), "the bias moves iff the update is on")
        return sink.points.compactMap { $0.1["moe/layer_1/max_over_mean"] }
    }

    /// The same run with the bias update off and on (γ = 1e-2: the default 1e-3 needs more steps
    /// than a unit test takes to move scores that differ by ~0.05). Balancing must remove at
    /// least half of the excess load (max/mean − 1) that the unbalanced run shows over its
    /// second half; both figures come from the runs themselves.
    @Test func biasUpdateBalancesExpertLoads() throws {
        let fixture = try TrainingFixture()
        let unbalanced = try Self.loadRatios(fixture, biasRate: 0)
        let balanced = try Self.loadRatios(fixture, biasRate: 1e-2)
        #expect(unbalanced.count == 40 && balanced.count == 40)
        func secondHalfMean(_ values: [Double]) -> Double { values[20...].reduce(0, +) / 20 }
        let (before, after) = (secondHalfMean(unbalanced), secondHalfMean(balanced))
        print("MoE balancing, max/mean load over steps 21-40: off \(before), on \(after); step 1: \(unbalanced[0]) / \(balanced[0])")
        #expect(unbalanced[0] == balanced[0], "both runs start from the same routing")
        #expect(before > 1, "the unbalanced run has excess load to remove")
        #expect(after - 1 < 0.5 * (before - 1), "max/mean \(after) with balancing vs \(before) without")
    }

    @Test func sparseRunsAreBitwiseIdenticalAcrossThreadsAndResume() throws {
        let fixture = try TrainingFixture()
        var single = try Self.makeTrainer(fixture, output: fixture.directory + "/one", steps: 6, biasRate: 1e-2, threads: 1)
        try single.run()
        var double = try Self.makeTrainer(fixture, output: fixture.directory + "/two", steps: 6, biasRate: 1e-2, threads: 2)
        try double.run()
        #expect(single.models[0].parameters == double.models[0].parameters)

        var resumed = try Self.makeTrainer(fixture, output: fixture.directory + "/three", steps: 6, biasRate: 1e-2, threads: 1)
        try resumed.resume(from: fixture.directory + "/one/checkpoints/step-0000003")
        try resumed.run()
        #expect(resumed.models[0].parameters == single.models[0].parameters)
    }
}
