import FactoryCore
import Foundation
import Shards

/// `mix.toml`: the whole AutoMixer loop in one file.
///
/// ```toml
/// base = "examples/laguna-proxy.toml"   # the proxy run (model, data, steps, batch)
/// directory = "runs/automix"
/// target = "eval/loss"                  # one metric (its goal implied by its name), or [targets]
/// [capabilities]                        # optional: score every proxy on capability suites
/// tasks = "runs/tasks"                  # a `factory eval tasks build` folder
/// max_documents = 20
/// [swarm]
/// count = 24
/// seed = 0
/// [sweep]
/// workers = 2
/// threads = 1
/// ```
///
/// ``validate(source:)`` (called by ``load(path:)``) checks every setting's range, naming the
/// file and key.
public struct AutoMixerConfig: Codable, Sendable, Equatable {
    public struct Swarm: Codable, Sendable, Equatable {
        public var count: Int
        public var seed: Int?
        public var temperature: Double?
        public var maxEpochs: Double?
        public var minWeight: Double?

        enum CodingKeys: String, CodingKey {
            case count, seed, temperature
            case maxEpochs = "max_epochs"
            case minWeight = "min_weight"
        }

        /// The fewest mixtures a swarm may have: a surrogate needs rows to fit and rank.
        public static let minimumCount = 4
        /// The most: each mixture is a proxy training run, and the sampler holds every mixture.
        public static let maximumCount = 100_000

        /// Checks the ranges; `fail(key, message)` makes the error for a key of `[swarm]`.
        public func validate(fail: (String, String) -> FactoryError) throws {
            guard (Self.minimumCount...Self.maximumCount).contains(count) else {
                throw fail(
                    "count",
                    count < Self.minimumCount
                        ? "need at least \(Self.minimumCount) mixtures, got \(count)"
                        : "at most \(Self.maximumCount) mixtures (each is a proxy training run), got \(count)")
            }
            if let seed, seed < 0 { throw fail("seed", "must not be negative, got \(seed)") }
            if let temperature, !(temperature >= 0) {
                throw fail("temperature", "must not be negative (0 gives a uniform prior, 1 the token shares), got \(temperature)")
            }
            if let maxEpochs, !(maxEpochs > 0) { throw fail("max_epochs", "must be positive, got \(maxEpochs)") }
            if let minWeight, !(0..<1).contains(minWeight) { throw fail("min_weight", "must be in [0, 1), got \(minWeight)") }
        }
    }

    public struct Sweep: Codable, Sendable, Equatable {
        public var workers: Int?
        public var threads: Int?
        /// The share of the swarm held out to measure the surrogate on runs it did not see.
        public var holdout: Double?

        /// The most concurrent proxy runs, and the most threads per run.
        public static let maximumWorkers = 1024
        /// The shares of the swarm that may be held out.
        public static let holdoutRange = 0.0..<0.9

        /// Checks the ranges; `fail(key, message)` makes the error for a key of `[sweep]`.
        public func validate(fail: (String, String) -> FactoryError) throws {
            for (key, value) in [("workers", workers), ("threads", threads)] {
                if let value, !(1...Self.maximumWorkers).contains(value) {
                    throw fail(key, "must be between 1 and \(Self.maximumWorkers), got \(value)")
                }
            }
            if let holdout, !Self.holdoutRange.contains(holdout) { throw fail("holdout", "must be in [0, 0.9), got \(holdout)") }
        }
    }

    public struct Propose: Codable, Sendable, Equatable {
        public var kl: Double?
        public var surrogate: String?
        /// Train the proposed and the prior mixture with the proxy budget and compare.
        public var check: Bool?

        /// The surrogate families to try: all for `auto` (or none named), else the one named.
        public var surrogateKinds: [SurrogateKind] {
            surrogate.flatMap(SurrogateKind.init(rawValue:)).map { [$0] } ?? SurrogateKind.allCases
        }

        /// The floor margin of the capability targets chosen by default (no `target`, no
        /// `[targets]`): each may be predicted at most this far below the prior's prediction.
        public var margin: Double?

        /// The default of ``margin``: one point of accuracy.
        public static let defaultMargin = 0.01

        /// Checks the ranges; `fail(key, message)` makes the error for a key of `[propose]`.
        public func validate(fail: (String, String) -> FactoryError) throws {
            if let kl, !(kl >= 0) { throw fail("kl", "must not be negative, got \(kl)") }
            if let margin, !(margin >= 0 && margin.isFinite) { throw fail("margin", "must be a finite number ≥ 0, got \(margin)") }
            if let surrogate, surrogate != "auto", SurrogateKind(rawValue: surrogate) == nil {
                throw fail(
                    "surrogate",
                    "unknown surrogate '\(surrogate)' (known: auto, \(SurrogateKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
        }
    }

    /// `[capabilities]`: the capability suites every proxy is scored on after training.
    public struct Capabilities: Codable, Sendable, Equatable {
        /// A task folder (`factory eval tasks build --out`).
        public var tasks: String
        /// At most this many documents per task file, in file order (keeps proxy evaluation cheap).
        public var maxDocuments: Int?

        enum CodingKeys: String, CodingKey {
            case tasks
            case maxDocuments = "max_documents"
        }

        /// Checks the ranges; `fail(key, message)` makes the error for a key of `[capabilities]`.
        public func validate(fail: (String, String) -> FactoryError) throws {
            if tasks.isEmpty { throw fail("tasks", "must name a task folder") }
            if let maxDocuments, maxDocuments < 1 { throw fail("max_documents", "must be at least 1, got \(maxDocuments)") }
        }
    }

    /// `[signal]`: the signal-to-noise measurement (``SignalTable``) — the first `mixtures` of the
    /// swarm against `seeds` seeds of its first mixture.
    public struct Signal: Codable, Sendable, Equatable {
        public var mixtures: Int?
        public var seeds: Int?
        /// A metric is usable as a target when its signal-to-noise ratio is at least this.
        public var minSNR: Double?

        enum CodingKeys: String, CodingKey {
            case mixtures, seeds
            case minSNR = "min_snr"
        }

        public static let defaultMixtures = 4
        public static let defaultSeeds = 2
        public static let defaultMinSNR = 1.0

        /// Checks the ranges; `fail(key, message)` makes the error for a key of `[signal]`.
        public func validate(fail: (String, String) -> FactoryError) throws {
            if let mixtures, !(2...Swarm.maximumCount).contains(mixtures) {
                throw fail("mixtures", "must be between 2 and \(Swarm.maximumCount) (a spread needs two), got \(mixtures)")
            }
            if let seeds, !(2...1000).contains(seeds) { throw fail("seeds", "must be between 2 and 1000 (a spread needs two), got \(seeds)") }
            if let minSNR, !(minSNR >= 0 && minSNR.isFinite) { throw fail("min_snr", "must be a finite number ≥ 0, got \(minSNR)") }
        }
    }

    public var base: String
    public var directory: String
    /// The single-target form: one metric, its goal implied by its name. Absent with `targets`
    /// absent: the usable capability scores of a signal measurement, else `eval/loss`.
    public var target: String?
    /// Metric → weight, goal and floor margin.
    public var targets: [String: MixTarget]?
    public var capabilities: Capabilities?
    public var signal: Signal?
    public var swarm: Swarm
    public var sweep: Sweep?
    public var propose: Propose?

    /// Reads and checks a mix config.
    public static func load(path: String) throws -> AutoMixerConfig {
        let config = try ConfigLoader.decode(AutoMixerConfig.self, tomlFile: path)
        try config.validate(source: path)
        return config
    }

    /// Checks values that decoding cannot, naming `source` and the key.
    public func validate(source: String) throws {
        func fail(_ table: String) -> (String, String) -> FactoryError {
            { key, message in .config(file: source, keyPath: table.isEmpty ? key : "\(table).\(key)", line: nil, message: message) }
        }
        try swarm.validate(fail: fail("swarm"))
        try sweep?.validate(fail: fail("sweep"))
        try propose?.validate(fail: fail("propose"))
        try capabilities?.validate(fail: fail("capabilities"))
        try signal?.validate(fail: fail("signal"))
        if let signal, (signal.mixtures ?? Signal.defaultMixtures) > swarm.count {
            throw fail("signal")("mixtures", "must be at most swarm.count (\(swarm.count)): they are the swarm's first mixtures")
        }
        if let target {
            if targets != nil { throw fail("")("targets", "give `target` or a [targets] table, not both") }
            if TargetGoal.implied(by: target) == nil {
                throw fail("")("target", "the name '\(target)' implies no goal; use [targets.\"\(target)\"] with `goal`")
            }
        }
        if let targets {
            for metric in targets.keys.sorted() {
                try targets[metric]!.validate(metric: metric, fail: fail("targets.\"\(metric)\""))
            }
            if !targets.values.contains(where: { ($0.weight ?? 1) > 0 }) {
                throw fail("")("targets", "needs a metric with a positive weight (the objective would be empty)")
            }
        }
    }

    /// The targets `target` or `[targets]` name, or `nil` when neither does (the caller picks
    /// the default).
    public var explicitTargets: [ResolvedTarget]? {
        if let target { return [ResolvedTarget(metric: target, goal: TargetGoal.implied(by: target) ?? .minimize, weight: 1, margin: nil)] }
        return targets.map { targets in targets.keys.sorted().map { ResolvedTarget(metric: $0, entry: targets[$0]!) } }
    }
}

/// What AutoMixer reads from the proxy run file: the token budget and the training shards.
public struct ProxyRunFacts: Sendable {
    public let budgetTokens: Int
    public let trainShards: String
    public let availableTokens: [String: Int]
    /// `train.seed` (default 0).
    public let seed: Int

    public init(runFile: String) throws {
        try FileKind.requireRegularFile(runFile, name: "proxy run file")
        let text = try String(contentsOfFile: runFile, encoding: .utf8)
        guard case .table(let root) = try ConfigValue.parseTOML(text, source: runFile),
            case .table(let train)? = root["train"], case .table(let data)? = root["data"],
            case .integer(let steps)? = train["steps"], case .integer(let batch)? = train["batch"],
            case .integer(let sequence)? = train["sequence_length"], case .string(let shards)? = data["train"]
        else {
            throw FactoryError.config(
                file: runFile, keyPath: "train", line: nil,
                message: "the proxy run needs train.steps, train.batch, train.sequence_length and data.train")
        }
        var accumulation = 1
        if case .integer(let value)? = train["accumulation"] { accumulation = value }
        var runSeed = 0
        if case .integer(let value)? = train["seed"] { runSeed = value }
        seed = runSeed
        let factors = [("steps", steps), ("batch", batch), ("sequence_length", sequence), ("accumulation", accumulation)]
        if let bad = factors.first(where: { $0.1 <= 0 }) {
            throw FactoryError.config(file: runFile, keyPath: "train.\(bad.0)", line: nil, message: "must be positive, got \(bad.1)")
        }
        guard let budget = MemoryBudget.product(steps, batch, sequence, accumulation) else {
            throw FactoryError.config(
                file: runFile, keyPath: "train", line: nil,
                message:
                    "the token budget train.steps × batch × sequence_length × accumulation (\(steps) × \(batch) × \(sequence) × \(accumulation)) overflows a 64-bit count"
            )
        }
        budgetTokens = budget
        trainShards = shards
        var available = [String: Int]()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: shards)) ?? []
        for name in names.sorted() where name.hasSuffix(".manifest.json") {
            let manifest = try TokenShardManifest.load(path: shards + "/" + name)
            guard manifest.tokens > 0 else {
                throw FactoryError.config(
                    file: shards + "/" + name, keyPath: "tokens", line: nil,
                    message: "domain '\(manifest.domain)' has no tokens; a swarm cannot sample it")
            }
            guard available[manifest.domain] == nil else {
                throw FactoryError.config(
                    file: shards + "/" + name, keyPath: "domain", line: nil,
                    message: "domain '\(manifest.domain)' is named by another manifest in \(shards) too")
            }
            available[manifest.domain] = manifest.tokens
        }
        guard !available.isEmpty else {
            throw FactoryError.config(file: runFile, keyPath: "data.train", line: nil, message: "\(shards) holds no shard manifests")
        }
        availableTokens = available
    }
}
