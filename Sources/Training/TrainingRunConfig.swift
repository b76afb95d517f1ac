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
/// replicas = 2                  # optional: data-parallel replicas (threads), checked every
/// check_every = 10              #   check_every steps and at checkpoints
/// [[train.inject_fault]]        # optional drills (replicas > 1): flip one bit once
/// replica = 1
/// step = 37
/// tensor = "model.layers.0.mlp.up_proj.weight"
/// bit = 22                      # element = 0 and target = "weights" (or "gradient", "optimizer") by default
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

    /// A `[[train.inject_fault]]` entry: a bit flip to inject (see `FaultInjection`).
    public struct Fault: Codable, Sendable, Equatable {
        public var replica: Int
        public var step: Int
        public var tensor: String
        public var bit: Int
        /// The element's flat index (default 0).
        public var element: Int?
        /// `weights` (the default), `gradient` or `optimizer`.
        public var target: String?

        /// The injection this entry declares (its target must be valid; `validate` checks).
        public var injection: FaultInjection {
            FaultInjection(
                replica: replica, step: step, tensor: tensor, element: element ?? 0, bit: bit,
                target: target.flatMap(FaultInjection.Target.init(rawValue:)) ?? .weights)
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
        /// Data-parallel replicas (default 1: the single-process trainer). Each computes
        /// `accumulation / replicas` micro-batches of a step; `accumulation` defaults to `replicas`.
        public var replicas: Int?
        /// With replicas, steps between weight-hash checks (default 10).
        public var checkEvery: Int?
        /// With replicas, bit flips to inject (drills).
        public var injectFault: [Fault]?

        enum CodingKeys: String, CodingKey {
            case steps, batch, output, seed, accumulation, threads, replicas
            case checkEvery = "check_every"
            case injectFault = "inject_fault"
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
                             ("train.replicas", replicas), ("train.accumulation", accumulation),
                             ("train.check_every", checkEvery)] where value <= 0 {
            throw fail(key, "must be positive, got \(value)")
        }
        guard accumulation % replicas == 0 else {
            throw fail(
                "train.accumulation",
                "\(accumulation) micro-batches per step cannot be shared by \(replicas) replicas (make it a multiple of train.replicas)")
        }
        for (index, fault) in (train.injectFault ?? []).enumerated() {
            let key = "train.inject_fault[\(index)]"
            guard replicas > 1 else { throw fail(key, "fault injection needs train.replicas > 1 (a single replica has nothing to compare with)") }
            guard (0..<replicas).contains(fault.replica) else {
                throw fail(key + ".replica", "\(fault.replica) is not one of the \(replicas) replicas (0 to \(replicas - 1))")
            }
            guard (1...train.steps).contains(fault.step) else { throw fail(key + ".step", "\(fault.step) is not a step of this run (1 to \(train.steps))") }
            guard (0..<32).contains(fault.bit) else { throw fail(key + ".bit", "\(fault.bit) is not a bit of a 32-bit float (0 to 31)") }
            guard (fault.element ?? 0) >= 0 else { throw fail(key + ".element", "must not be negative, got \(fault.element ?? 0)") }
            if let target = fault.target, FaultInjection.Target(rawValue: target) == nil {
                throw fail(
                    key + ".target",
                    "unknown target '\(target)' (known: \(FaultInjection.Target.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
        }
    }

    /// `train.replicas`, 1 when absent.
    public var replicas: Int { train.replicas ?? 1 }

    /// `train.check_every`, 10 when absent.
    public var checkEvery: Int { train.checkEvery ?? 10 }

    /// `train.accumulation`, else one micro-batch per replica.
    public var accumulation: Int { train.accumulation ?? replicas }

    /// The `[[train.inject_fault]]` entries as injections.
    public var faultInjections: [FaultInjection] { (train.injectFault ?? []).map(\.injection) }

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
