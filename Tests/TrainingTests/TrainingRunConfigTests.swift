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

/// Every number of a run file is range-checked, each refusal naming the file and the key.
@Suite struct TrainingRunConfigRangeTests {
    /// A valid run file with `optimizer`, `schedule` and `train` lines added to their sections.
    static func file(optimizer: String = "", schedule: String = "", train: String = "", data: String = "") -> String {
        """
        [model]
        preset = "laguna-tiny"
        [data]
        train = "shards/train"
        \(data)
        [optimizer]
        lr = 3e-3
        \(optimizer)
        [schedule]
        kind = "cosine"
        \(schedule)
        [train]
        steps = 100
        batch = 8
        sequence_length = 128
        output = "runs/tiny"
        \(train)
        """
    }

    static func validate(_ text: String) throws {
        try ConfigLoader.decode(TrainingRunConfig.self, toml: text, source: "run.toml").validate(source: "run.toml")
    }

    @Test(arguments: [
        (file(train: "log_every = 0"), "train.log_every", "must be positive, got 0"),
        (file(train: "eval_every = 0"), "train.eval_every", "must be positive, got 0"),
        (file(train: "checkpoint_every = 0"), "train.checkpoint_every", "must be positive, got 0"),
        (file(train: "checkpoint_every = -3"), "train.checkpoint_every", "must be positive, got -3"),
        (file(train: "eval_sequences = 0"), "train.eval_sequences", "must be positive, got 0"),
        (file(train: "threads = 0"), "train.threads", "must be positive, got 0"),
        (file(train: "threads = 5000"), "train.threads", "must be at most 1024, got 5000"),
        (file(train: "replicas = 5000"), "train.replicas", "must be at most 1024 (one thread each), got 5000"),
        (file(train: "seed = -1"), "train.seed", "must not be negative, got -1"),
        (file(train: "skip_nonfinite_steps = -1"), "train.skip_nonfinite_steps", "must not be negative, got -1"),
        (file(train: "grad_clip = -1"), "train.grad_clip", "must be positive, got -1.0 (write grad_clip = \"off\" for no clipping)"),
        (file(train: "grad_clip = 0"), "train.grad_clip", "must be positive, got 0.0 (write grad_clip = \"off\" for no clipping)"),
        (file(schedule: "warmup = -5"), "schedule.warmup", "must not be negative, got -5"),
        (file(schedule: "warmup = 101"), "schedule.warmup", "101 warmup steps do not fit in train.steps = 100"),
        (file(schedule: "min_ratio = 2"), "schedule.min_ratio", "must be in [0, 1], got 2.0"),
        (file(schedule: "decay_fraction = 0"), "schedule.decay_fraction", "must be in (0, 1], got 0.0"),
        (file(optimizer: "weight_decay = -50"), "optimizer.weight_decay", "must not be negative, got -50.0"),
        (file(optimizer: "beta1 = 1.5"), "optimizer.beta1", "must be in [0, 1), got 1.5"),
        (file(optimizer: "beta2 = 1"), "optimizer.beta2", "must be in [0, 1), got 1.0"),
        (file(optimizer: "beta1 = -0.1"), "optimizer.beta1", "must be in [0, 1), got -0.1"),
        (file(optimizer: "epsilon = 0"), "optimizer.epsilon", "must be positive, got 0.0"),
        (file(data: "mixture = { code = -1.0 }"), "data.mixture.code", "must not be negative, got -1.0"),
        (file(data: "mixture = { code = 0.0 }"), "data.mixture", "needs at least one domain with a positive weight"),
        (
            file(train: "accumulation = 1000000").replacingOccurrences(of: "steps = 100", with: "steps = 1000000000"), "train",
            "steps × accumulation × batch × sequence_length (1000000000 × 1000000 × 8 × 128) is more than 9007199254740992 tokens"
        ),
        (
            file(train: "batch = 4611686018427387904").replacingOccurrences(of: "batch = 8\n", with: ""), "train",
            "steps × accumulation × batch × sequence_length (100 × 1 × 4611686018427387904 × 128) is more than 9007199254740992 tokens"
        ),
    ])
    func aBadNumberIsRefusedByKey(text: String, key: String, message: String) throws {
        #expect(throws: FactoryError.config(file: "run.toml", keyPath: key, line: nil, message: message)) { try Self.validate(text) }
    }

    @Test func gradClipOffIsExplicitAndOtherWordsAreRefused() throws {
        let off = try ConfigLoader.decode(TrainingRunConfig.self, toml: Self.file(train: "grad_clip = \"off\""), source: "run.toml")
        try off.validate(source: "run.toml")
        #expect(off.train.gradientClip == nil && off.trainerSettings.gradientClip == nil)
        #expect(throws: FactoryError.self) {
            try ConfigLoader.decode(TrainingRunConfig.self, toml: Self.file(train: "grad_clip = \"none\""), source: "run.toml")
        }
        let skips = try ConfigLoader.decode(TrainingRunConfig.self, toml: Self.file(train: "skip_nonfinite_steps = 3"), source: "run.toml")
        #expect(skips.trainerSettings.skipNonfiniteSteps == 3)
    }

    @Test func theResumptionSettingsNameWhatChanged() throws {
        let base = try ConfigLoader.decode(TrainingRunConfig.self, toml: Self.file(), source: "run.toml")
        let changed = try ConfigLoader.decode(
            TrainingRunConfig.self, toml: Self.file(train: "seed = 4").replacingOccurrences(of: "lr = 3e-3", with: "lr = 0.3"),
            source: "run.toml")
        let explicitDefault = try ConfigLoader.decode(TrainingRunConfig.self, toml: Self.file(optimizer: "beta1 = 0.9"), source: "run.toml")
        let old = base.resumptionSettings(trainData: "abc")
        #expect(
            changed.resumptionSettings(trainData: "abc").changes(since: old) == [
                .init(key: "optimizer.lr", old: "0.003", new: "0.3"), .init(key: "train.seed", old: "0", new: "4"),
            ])
        #expect(explicitDefault.resumptionSettings(trainData: "abc").changes(since: old).isEmpty)
        #expect(base.resumptionSettings(trainData: "def").changes(since: old) == [.init(key: "data.train", old: "abc", new: "def")])
        // Checkpoints written before settings were recorded have nothing to compare.
        #expect(changed.resumptionSettings(trainData: "abc").changes(since: ResumptionSettings(metadata: ["step": "4"])).isEmpty)
        #expect(ResumptionSettings(metadata: old.metadata) == old)
    }
}
