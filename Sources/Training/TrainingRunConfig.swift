import FactoryCore

/// A training run as declared in `run.toml` (decoded strictly: unknown keys are errors), with
/// every default resolved as it is decoded: this type is the one place the defaults of a run file
/// live, and everything downstream (the trainer's settings, reports, sweeps) reads them from here.
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
/// grad_clip = 1.0               # optional (default 1); "off" for no clipping
/// skip_nonfinite_steps = 0      # optional: non-finite steps to skip (counted) before stopping
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
        /// Domain weights; `nil`: the shards' token shares.
        public var mixture: [String: Double]?
    }

    public struct Optimizer: Codable, Sendable, Equatable {
        /// `adamw` (the default) or `muon`.
        public var name: String
        /// The peak learning rate, shared by Muon and AdamW.
        public var lr: Double
        /// Decoupled weight decay, for both groups; `nil`: each optimizer's default.
        public var weightDecay: Double?
        /// AdamW's β₁ (with Muon: for the AdamW group); `nil`: `AdamW.Settings`' default.
        public var beta1: Double?
        /// AdamW's β₂; `nil`: `AdamW.Settings`' default.
        public var beta2: Double?
        /// AdamW's ε; `nil`: `AdamW.Settings`' default.
        public var epsilon: Double?
        /// Muon's momentum β (only with `name = "muon"`); `nil`: `Muon.Settings`' default.
        public var momentum: Double?

        enum CodingKeys: String, CodingKey {
            case name, lr, beta1, beta2, epsilon, momentum
            case weightDecay = "weight_decay"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decodeIfPresent(String.self, forKey: .name) ?? "adamw"
            lr = try container.decode(Double.self, forKey: .lr)
            weightDecay = try container.decodeIfPresent(Double.self, forKey: .weightDecay)
            beta1 = try container.decodeIfPresent(Double.self, forKey: .beta1)
            beta2 = try container.decodeIfPresent(Double.self, forKey: .beta2)
            epsilon = try container.decodeIfPresent(Double.self, forKey: .epsilon)
            momentum = try container.decodeIfPresent(Double.self, forKey: .momentum)
        }
    }

    public struct Schedule: Codable, Sendable, Equatable {
        /// `constant`, `cosine` or `wsd`.
        public var kind: String
        /// Warmup steps (default 0).
        public var warmup: Int
        /// The floor of cosine and WSD decay as a fraction of the peak (default 0.1).
        public var minRatio: Double
        /// WSD: the fraction of the run spent decaying (default 0.2).
        public var decayFraction: Double

        enum CodingKeys: String, CodingKey {
            case kind, warmup
            case minRatio = "min_ratio"
            case decayFraction = "decay_fraction"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            kind = try container.decode(String.self, forKey: .kind)
            warmup = try container.decodeIfPresent(Int.self, forKey: .warmup) ?? 0
            minRatio = try container.decodeIfPresent(Double.self, forKey: .minRatio) ?? 0.1
            decayFraction = try container.decodeIfPresent(Double.self, forKey: .decayFraction) ?? 0.2
        }
    }

    /// A `[[train.inject_fault]]` entry: a bit flip to inject (see `FaultInjection`).
    public struct Fault: Codable, Sendable, Equatable {
        public var replica: Int
        public var step: Int
        public var tensor: String
        public var bit: Int
        /// The element's flat index (default 0).
        public var element: Int
        /// `weights` (the default), `gradient` or `optimizer`.
        public var target: String

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            replica = try container.decode(Int.self, forKey: .replica)
            step = try container.decode(Int.self, forKey: .step)
            tensor = try container.decode(String.self, forKey: .tensor)
            bit = try container.decode(Int.self, forKey: .bit)
            element = try container.decodeIfPresent(Int.self, forKey: .element) ?? 0
            target = try container.decodeIfPresent(String.self, forKey: .target) ?? FaultInjection.Target.weights.rawValue
        }

        /// The injection this entry declares (its target must be valid; `validate` checks).
        public var injection: FaultInjection {
            FaultInjection(
                replica: replica, step: step, tensor: tensor, element: element, bit: bit,
                target: FaultInjection.Target(rawValue: target) ?? .weights)
        }
    }

    public struct Loop: Codable, Sendable, Equatable {
        public var steps: Int
        /// Sequences per micro-batch.
        public var batch: Int
        public var sequenceLength: Int
        public var output: String
        /// The run's seed (default 0).
        public var seed: Int
        /// The global gradient-norm clip (default 1); `nil`: `grad_clip = "off"`, no clipping.
        public var gradientClip: Double?
        /// Steps whose loss or gradient norm is not finite that the run may skip (each counted
        /// and recorded) before it stops; 0 (the default) stops at the first.
        public var skipNonfiniteSteps: Int
        /// Data-parallel replicas (default 1). Each computes `accumulation / replicas`
        /// micro-batches of a step.
        public var replicas: Int
        /// Micro-batches per step (default: one per replica).
        public var accumulation: Int
        /// Steps between checkpoints; `nil`: only the final one.
        public var checkpointEvery: Int?
        /// Steps between evaluations (and at the end); `nil`: none.
        public var evalEvery: Int?
        /// Validation sequences per domain and evaluation (default 32).
        public var evalSequences: Int
        /// Steps between training-metric lines (default 10; the last step always logs).
        public var logEvery: Int
        /// Threads; `nil`: all cores (or what the command line says).
        public var threads: Int?
        /// With replicas, steps between weight-hash checks (default 10).
        public var checkEvery: Int
        /// With replicas, bit flips to inject (drills); none by default.
        public var injectFault: [Fault]

        enum CodingKeys: String, CodingKey {
            case steps, batch, output, seed, accumulation, threads, replicas
            case checkEvery = "check_every"
            case injectFault = "inject_fault"
            case sequenceLength = "sequence_length"
            case gradientClip = "grad_clip"
            case skipNonfiniteSteps = "skip_nonfinite_steps"
            case checkpointEvery = "checkpoint_every"
            case evalEvery = "eval_every"
            case evalSequences = "eval_sequences"
            case logEvery = "log_every"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(steps, forKey: .steps)
            try container.encode(batch, forKey: .batch)
            try container.encode(sequenceLength, forKey: .sequenceLength)
            try container.encode(output, forKey: .output)
            try container.encode(seed, forKey: .seed)
            try container.encode(gradientClip.map(GradientClipValue.maximum) ?? .off, forKey: .gradientClip)
            try container.encode(skipNonfiniteSteps, forKey: .skipNonfiniteSteps)
            try container.encode(replicas, forKey: .replicas)
            try container.encode(accumulation, forKey: .accumulation)
            try container.encodeIfPresent(checkpointEvery, forKey: .checkpointEvery)
            try container.encodeIfPresent(evalEvery, forKey: .evalEvery)
            try container.encode(evalSequences, forKey: .evalSequences)
            try container.encode(logEvery, forKey: .logEvery)
            try container.encodeIfPresent(threads, forKey: .threads)
            try container.encode(checkEvery, forKey: .checkEvery)
            try container.encode(injectFault, forKey: .injectFault)
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            steps = try container.decode(Int.self, forKey: .steps)
            batch = try container.decode(Int.self, forKey: .batch)
            sequenceLength = try container.decode(Int.self, forKey: .sequenceLength)
            output = try container.decode(String.self, forKey: .output)
            seed = try container.decodeIfPresent(Int.self, forKey: .seed) ?? 0
            gradientClip = try container.decodeIfPresent(GradientClipValue.self, forKey: .gradientClip).map(\.maximumNorm) ?? 1
            skipNonfiniteSteps = try container.decodeIfPresent(Int.self, forKey: .skipNonfiniteSteps) ?? 0
            replicas = try container.decodeIfPresent(Int.self, forKey: .replicas) ?? 1
            accumulation = try container.decodeIfPresent(Int.self, forKey: .accumulation) ?? replicas
            checkpointEvery = try container.decodeIfPresent(Int.self, forKey: .checkpointEvery)
            evalEvery = try container.decodeIfPresent(Int.self, forKey: .evalEvery)
            evalSequences = try container.decodeIfPresent(Int.self, forKey: .evalSequences) ?? 32
            logEvery = try container.decodeIfPresent(Int.self, forKey: .logEvery) ?? 10
            threads = try container.decodeIfPresent(Int.self, forKey: .threads)
            checkEvery = try container.decodeIfPresent(Int.self, forKey: .checkEvery) ?? 10
            injectFault = try container.decodeIfPresent([Fault].self, forKey: .injectFault) ?? []
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
        guard Self.optimizerNames.contains(optimizer.name) else {
            throw fail("optimizer.name", "unknown optimizer '\(optimizer.name)' (known: \(Self.optimizerNames.joined(separator: ", ")))")
        }
        if let momentum = optimizer.momentum {
            guard optimizer.name == "muon" else { throw fail("optimizer.momentum", "applies to Muon only; set optimizer.name = \"muon\"") }
            guard momentum >= 0, momentum < 1 else { throw fail("optimizer.momentum", "must be in [0, 1), got \(momentum)") }
        }
        try validateOptimizer(fail)
        try validateLoop(fail)
        try validateSchedule(fail)
        if let mixture = data.mixture {
            for (domain, weight) in mixture.sorted(by: { $0.key < $1.key }) where !(weight >= 0) {
                throw fail("data.mixture.\(domain)", "must not be negative, got \(weight)")
            }
            guard mixture.values.contains(where: { $0 > 0 }) else {
                throw fail("data.mixture", "needs at least one domain with a positive weight")
            }
        }
        let (replicas, accumulation) = (train.replicas, train.accumulation)
        guard accumulation % replicas == 0 else {
            throw fail(
                "train.accumulation",
                "\(accumulation) micro-batches per step cannot be shared by \(replicas) replicas (make it a multiple of train.replicas)")
        }
        for (index, fault) in train.injectFault.enumerated() {
            let key = "train.inject_fault[\(index)]"
            guard replicas > 1 else { throw fail(key, "fault injection needs train.replicas > 1 (a single replica has nothing to compare with)") }
            guard (0..<replicas).contains(fault.replica) else {
                throw fail(key + ".replica", "\(fault.replica) is not one of the \(replicas) replicas (0 to \(replicas - 1))")
            }
            guard (1...train.steps).contains(fault.step) else {
                throw fail(key + ".step", "\(fault.step) is not a step of this run (1 to \(train.steps))")
            }
            guard (0..<32).contains(fault.bit) else { throw fail(key + ".bit", "\(fault.bit) is not a bit of a 32-bit float (0 to 31)") }
            guard fault.element >= 0 else { throw fail(key + ".element", "must not be negative, got \(fault.element)") }
            if FaultInjection.Target(rawValue: fault.target) == nil {
                throw fail(
                    key + ".target",
                    "unknown target '\(fault.target)' (known: \(FaultInjection.Target.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
        }
    }

    /// The largest `train.steps × accumulation × batch × sequence_length` (tokens of a run) a run
    /// file may ask for: far beyond any run on one machine, and small enough that the trainer's
    /// token and micro-batch arithmetic cannot overflow.
    public static let maximumRunTokens = 1 << 53

    private func validateOptimizer(_ fail: (String, String) -> FactoryError) throws {
        guard optimizer.lr > 0 else { throw fail("optimizer.lr", "must be positive, got \(optimizer.lr)") }
        if let decay = optimizer.weightDecay, !(decay >= 0) {
            throw fail("optimizer.weight_decay", "must not be negative, got \(decay)")
        }
        for (key, beta) in [("optimizer.beta1", optimizer.beta1), ("optimizer.beta2", optimizer.beta2)] {
            if let beta, !(beta >= 0 && beta < 1) { throw fail(key, "must be in [0, 1), got \(beta)") }
        }
        if let epsilon = optimizer.epsilon, !(epsilon > 0) {
            throw fail("optimizer.epsilon", "must be positive, got \(epsilon)")
        }
    }

    private func validateSchedule(_ fail: (String, String) -> FactoryError) throws {
        guard schedule.warmup >= 0 else { throw fail("schedule.warmup", "must not be negative, got \(schedule.warmup)") }
        guard schedule.warmup <= train.steps else {
            throw fail("schedule.warmup", "\(schedule.warmup) warmup steps do not fit in train.steps = \(train.steps)")
        }
        guard schedule.minRatio >= 0, schedule.minRatio <= 1 else {
            throw fail("schedule.min_ratio", "must be in [0, 1], got \(schedule.minRatio)")
        }
        guard schedule.decayFraction > 0, schedule.decayFraction <= 1 else {
            throw fail("schedule.decay_fraction", "must be in (0, 1], got \(schedule.decayFraction)")
        }
    }

    private func validateLoop(_ fail: (String, String) -> FactoryError) throws {
        for (key, value) in [
            ("train.steps", train.steps), ("train.batch", train.batch), ("train.sequence_length", train.sequenceLength),
            ("train.replicas", train.replicas), ("train.accumulation", train.accumulation),
            ("train.check_every", train.checkEvery), ("train.log_every", train.logEvery),
            ("train.eval_sequences", train.evalSequences),
            ("train.checkpoint_every", train.checkpointEvery ?? 1), ("train.eval_every", train.evalEvery ?? 1),
            ("train.threads", train.threads ?? 1),
        ] where value <= 0 {
            throw fail(key, "must be positive, got \(value)")
        }
        guard train.seed >= 0 else { throw fail("train.seed", "must not be negative, got \(train.seed)") }
        guard train.skipNonfiniteSteps >= 0 else {
            throw fail("train.skip_nonfinite_steps", "must not be negative, got \(train.skipNonfiniteSteps)")
        }
        if let clip = train.gradientClip, !(clip > 0) {
            throw fail("train.grad_clip", "must be positive, got \(clip) (write grad_clip = \"off\" for no clipping)")
        }
        if let threads = train.threads, threads > 1024 { throw fail("train.threads", "must be at most 1024, got \(threads)") }
        guard train.replicas <= 1024 else { throw fail("train.replicas", "must be at most 1024 (one thread each), got \(train.replicas)") }
        let tokens = MemoryBudget.product(train.steps, train.accumulation, train.batch, train.sequenceLength)
        guard let tokens, tokens <= Self.maximumRunTokens else {
            throw fail(
                "train",
                "steps × accumulation × batch × sequence_length (\(train.steps) × \(train.accumulation) × \(train.batch) × "
                    + "\(train.sequenceLength)) is more than \(Self.maximumRunTokens) tokens")
        }
    }

    /// The `[[train.inject_fault]]` entries as injections.
    public var faultInjections: [FaultInjection] { train.injectFault.map(\.injection) }

    /// The optimizers a run file can name.
    public static let optimizerNames = ["adamw", "muon"]

    /// The Muon settings when the run trains with Muon, `nil` for AdamW alone.
    public var muonSettings: Muon.Settings? {
        guard optimizer.name == "muon" else { return nil }
        let defaults = Muon.Settings()
        return Muon.Settings(
            momentum: optimizer.momentum.map(Float.init) ?? defaults.momentum,
            weightDecay: optimizer.weightDecay.map(Float.init) ?? defaults.weightDecay)
    }

    /// The learning-rate schedule this run declares.
    public var learningRateSchedule: LearningRateSchedule {
        LearningRateSchedule(
            peak: optimizer.lr, warmupSteps: schedule.warmup, totalSteps: train.steps,
            shape: LearningRateSchedule.Shape(rawValue: schedule.kind) ?? .constant,
            minimumRatio: schedule.minRatio, decayFraction: schedule.decayFraction)
    }

    /// The AdamW settings this run declares (with Muon: for the AdamW group).
    public var adamWSettings: AdamW.Settings {
        let defaults = AdamW.Settings()
        return AdamW.Settings(
            beta1: optimizer.beta1.map(Float.init) ?? defaults.beta1, beta2: optimizer.beta2.map(Float.init) ?? defaults.beta2,
            epsilon: optimizer.epsilon.map(Float.init) ?? defaults.epsilon,
            weightDecay: optimizer.weightDecay.map(Float.init) ?? defaults.weightDecay)
    }

    /// The trainer settings this run declares.
    public var trainerSettings: Trainer.Settings {
        var settings = Trainer.Settings(
            steps: train.steps, batch: train.batch, time: train.sequenceLength, output: train.output, seed: UInt64(train.seed),
            schedule: learningRateSchedule, adamW: adamWSettings)
        settings.muon = muonSettings
        settings.accumulation = train.accumulation
        settings.gradientClip = train.gradientClip
        settings.skipNonfiniteSteps = train.skipNonfiniteSteps
        settings.checkpointEvery = train.checkpointEvery
        settings.evalEvery = train.evalEvery
        settings.logEvery = train.logEvery
        settings.replicas = train.replicas
        settings.checkEvery = train.checkEvery
        return settings
    }
}

extension TrainingRunConfig {
    /// The settings this run's exact resumption depends on (see `ResumptionSettings`), with the
    /// optimizer's defaults resolved (leaving out `beta1` equals writing its default);
    /// `trainData` identifies the training shards (their digest).
    public func resumptionSettings(trainData: String) -> ResumptionSettings {
        let adamW = adamWSettings
        var values = [
            "data.train": trainData,
            "data.mixture": data.mixture.map { mixture in
                mixture.keys.sorted().map { "\($0)=\(mixture[$0]!)" }.joined(separator: ",")
            } ?? "token shares",
            "optimizer.name": optimizer.name, "optimizer.lr": "\(optimizer.lr)",
            "optimizer.beta1": "\(adamW.beta1)", "optimizer.beta2": "\(adamW.beta2)", "optimizer.epsilon": "\(adamW.epsilon)",
            "optimizer.weight_decay": "\(adamW.weightDecay)",
            "schedule.kind": schedule.kind, "schedule.warmup": "\(schedule.warmup)",
            "schedule.min_ratio": "\(schedule.minRatio)", "schedule.decay_fraction": "\(schedule.decayFraction)",
            "train.batch": "\(train.batch)", "train.sequence_length": "\(train.sequenceLength)",
            "train.accumulation": "\(train.accumulation)", "train.seed": "\(train.seed)",
            "train.grad_clip": train.gradientClip.map { "\($0)" } ?? "off",
        ]
        if let muon = muonSettings {
            values["optimizer.momentum"] = "\(muon.momentum)"
            values["optimizer.weight_decay"] = "adamw \(adamW.weightDecay), muon \(muon.weightDecay)"
        }
        // A decaying schedule is laid out over the run's length; a constant one may be extended.
        if schedule.kind != LearningRateSchedule.Shape.constant.rawValue { values["train.steps"] = "\(train.steps)" }
        return ResumptionSettings(values)
    }
}
