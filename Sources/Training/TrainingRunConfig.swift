import FactoryCore

/// A training run as declared in `run.toml` (decoded strictly: unknown keys are errors).
///
/// ```toml
/// [model]
/// preset = "laguna-tiny"        # or config = "path/config.json"
/// [data]
/// train = "shards/train"        # a `factory shards build` folder
/// validation = "shards/validation"
/// tokenizer = "tokenizer.json"
/// mixture = { code = 0.4, prose = 0.6 }   # optional; default: token shares
/// [optimizer]
/// name = "adamw"                # or "muon" (hidden matrices; AdamW settings apply to the rest)
/// lr = 3e-3
/// [schedule]
/// kind = "cosine"
/// warmup = 20
/// [train]
/// steps = 200
/// batch = 8
/// sequence_length = 128
/// output = "runs/tiny"
/// ```
public struct TrainingRunConfig: Codable, Sendable, Equatable {
    public struct Model: Codable, Sendable, Equatable {
        /// A preset name (`laguna-tiny`, `laguna-proxy`, …).
        public var preset: String?
        /// A Hugging Face `config.json`.
        public var config: String?
    }

    public struct DataSources: Codable, Sendable, Equatable {
        public var train: String
        public var validation: String?
        public var tokenizer: String?
        public var mixture: [String: Double]?
    }

    public struct Optimizer: Codable, Sendable, Equatable {
        /// `adamw` (the default) or `muon`.
        public var name: String?
        /// The peak learning rate, shared by Muon and AdamW.
        public var lr: Double
        /// Decoupled weight decay, for both groups.
        public var weightDecay: Double?
        /// AdamW's β₁ (with Muon: for the AdamW group).
        public var beta1: Double?
        /// AdamW's β₂.
        public var beta2: Double?
        /// AdamW's ε.
        public var epsilon: Double?
        /// Muon's momentum β (only with `name = "muon"`; default 0.95).
        public var momentum: Double?

        enum CodingKeys: String, CodingKey {
            case name, lr, beta1, beta2, epsilon, momentum
            case weightDecay = "weight_decay"
        }
    }

    public struct Schedule: Codable, Sendable, Equatable {
        /// `constant`, `cosine` or `wsd`.
        public var kind: String
        public var warmup: Int?
        public var minRatio: Double?
        public var decayFraction: Double?

        enum CodingKeys: String, CodingKey {
            case kind, warmup
            case minRatio = "min_ratio"
            case decayFraction = "decay_fraction"
        }
    }

    public struct Loop: Codable, Sendable, Equatable {
        public var steps: Int
        public var batch: Int
        public var sequenceLength: Int
        public var output: String
        public var seed: Int?
        public var gradientClip: Double?
        public var accumulation: Int?
        public var checkpointEvery: Int?
        public var evalEvery: Int?
        public var evalSequences: Int?
        public var logEvery: Int?
        public var threads: Int?

        enum CodingKeys: String, CodingKey {
            case steps, batch, output, seed, accumulation, threads
            case sequenceLength = "sequence_length"
            case gradientClip = "grad_clip"
            case checkpointEvery = "checkpoint_every"
            case evalEvery = "eval_every"
            case evalSequences = "eval_sequences"
            case logEvery = "log_every"
        }
    }

    public var model: Model
    public var data: DataSources
    public var optimizer: Optimizer
    public var schedule: Schedule
    public var train: Loop

    /// Reads and checks a run file.
    public static func load(path: String) throws -> TrainingRunConfig {
        let config = try ConfigLoader.decode(TrainingRunConfig.self, tomlFile: path)
        try config.validate(source: path)
        return config
    }

    /// Checks values that decoding cannot.
    public func validate(source: String) throws {
        func fail(_ key: String, _ message: String) -> FactoryError {
            .config(file: source, keyPath: key, line: nil, message: message)
        }
        guard (model.preset == nil) != (model.config == nil) else {
            throw fail("model", "give exactly one of 'preset' and 'config'")
        }
        guard Self.optimizerNames.contains(optimizerName) else {
            throw fail("optimizer.name", "unknown optimizer '\(optimizerName)' (known: \(Self.optimizerNames.joined(separator: ", ")))")
        }
        if let momentum = optimizer.momentum {
            guard optimizerName == "muon" else { throw fail("optimizer.momentum", "applies to Muon only; set optimizer.name = \"muon\"") }
            guard momentum >= 0, momentum < 1 else { throw fail("optimizer.momentum", "must be in [0, 1), got \(momentum)") }
        }
        guard optimizer.lr > 0 else { throw fail("optimizer.lr", "must be positive, got \(optimizer.lr)") }
        guard LearningRateSchedule.Shape(rawValue: schedule.kind) != nil else {
            throw fail("schedule.kind", "unknown schedule '\(schedule.kind)' (known: constant, cosine, wsd)")
        }
        for (key, value) in [("train.steps", train.steps), ("train.batch", train.batch), ("train.sequence_length", train.sequenceLength),
                             ("train.accumulation", train.accumulation ?? 1)] where value <= 0 {
            throw fail(key, "must be positive, got \(value)")
        }
    }

    /// The optimizers a run file can name.
    public static let optimizerNames = ["adamw", "muon"]

    /// `optimizer.name`, `adamw` when absent.
    public var optimizerName: String { optimizer.name ?? "adamw" }

    /// The Muon settings when the run trains with Muon, `nil` for AdamW alone.
    public var muonSettings: Muon.Settings? {
        guard optimizerName == "muon" else { return nil }
        let defaults = Muon.Settings()
        return Muon.Settings(
            momentum: optimizer.momentum.map(Float.init) ?? defaults.momentum,
            weightDecay: optimizer.weightDecay.map(Float.init) ?? defaults.weightDecay)
    }

    /// The learning-rate schedule this run declares.
    public var learningRateSchedule: LearningRateSchedule {
        LearningRateSchedule(
            peak: optimizer.lr, warmupSteps: schedule.warmup ?? 0, totalSteps: train.steps,
            shape: LearningRateSchedule.Shape(rawValue: schedule.kind) ?? .constant,
            minimumRatio: schedule.minRatio ?? 0.1, decayFraction: schedule.decayFraction ?? 0.2)
    }

    /// The AdamW settings this run declares (with Muon: for the AdamW group).
    public var adamWSettings: AdamW.Settings {
        let defaults = AdamW.Settings()
        return AdamW.Settings(
            beta1: optimizer.beta1.map(Float.init) ?? defaults.beta1, beta2: optimizer.beta2.map(Float.init) ?? defaults.beta2,
            epsilon: optimizer.epsilon.map(Float.init) ?? defaults.epsilon,
            weightDecay: optimizer.weightDecay.map(Float.init) ?? defaults.weightDecay)
    }
}
