import FactoryCore
import Testing

@testable import Training

/// The run file's defaults are resolved where it is decoded, and the trainer's settings read them.
@Suite struct TrainingRunConfigTests {
    static let minimal = """
        [model]
        preset = "laguna-tiny"
        [data]
        train = "shards/train"
        [optimizer]
        lr = 3e-3
        [schedule]
        kind = "cosine"
        [train]
        steps = 100
        batch = 8
        sequence_length = 128
        output = "runs/tiny"
        """

    @Test func absentKeysTakeTheirDefaultsOnDecoding() throws {
        let run = try ConfigLoader.decode(TrainingRunConfig.self, toml: Self.minimal, source: "run.toml")
        #expect(run.optimizer.name == "adamw")
        #expect(run.schedule.warmup == 0 && run.schedule.minRatio == 0.1 && run.schedule.decayFraction == 0.2)
        #expect(run.train.seed == 0 && run.train.gradientClip == 1 && run.train.logEvery == 10 && run.train.evalSequences == 32)
        #expect(run.train.replicas == 1 && run.train.accumulation == 1 && run.train.checkEvery == 10 && run.train.injectFault.isEmpty)
        #expect(run.train.checkpointEvery == nil && run.train.evalEvery == nil && run.train.threads == nil)

        let settings = run.trainerSettings
        #expect(settings.gradientClip == 1 && settings.logEvery == 10 && settings.accumulation == 1 && settings.replicas == 1)
        #expect(settings.checkEvery == 10 && settings.seed == 0 && settings.muon == nil)
        #expect(
            settings.schedule
                == LearningRateSchedule(
                    peak: 3e-3, warmupSteps: 0, totalSteps: 100, shape: .cosine, minimumRatio: 0.1, decayFraction: 0.2))
    }

    @Test func accumulationDefaultsToOneMicroBatchPerReplica() throws {
        let run = try ConfigLoader.decode(TrainingRunConfig.self, toml: Self.minimal + "\nreplicas = 4", source: "run.toml")
        #expect(run.train.accumulation == 4 && run.trainerSettings.accumulation == 4 && run.trainerSettings.replicas == 4)
    }
}
