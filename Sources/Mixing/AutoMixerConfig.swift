import FactoryCore
import Foundation
import Shards

/// `mix.toml`: the whole AutoMixer loop in one file.
///
/// ```toml
/// base = "examples/laguna-proxy.toml"   # the proxy run (model, data, steps, batch)
/// directory = "runs/automix"
/// target = "eval/loss"                  # the metric to minimize
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

        /// Checks the ranges; `fail(key, message)` makes the error for a key of `[propose]`.
        public func validate(fail: (String, String) -> FactoryError) throws {
            if let kl, !(kl >= 0) { throw fail("kl", "must not be negative, got \(kl)") }
            if let surrogate, surrogate != "auto", SurrogateKind(rawValue: surrogate) == nil {
                throw fail(
                    "surrogate",
                    "unknown surrogate '\(surrogate)' (known: auto, \(SurrogateKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
        }
    }

    public var base: String
    public var directory: String
    public var target: String
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
            { key, message in .config(file: source, keyPath: "\(table).\(key)", line: nil, message: message) }
        }
        try swarm.validate(fail: fail("swarm"))
        try sweep?.validate(fail: fail("sweep"))
        try propose?.validate(fail: fail("propose"))
    }
}

/// What AutoMixer reads from the proxy run file: the token budget and the training shards.
public struct ProxyRunFacts: Sendable {
    public let budgetTokens: Int
    public let trainShards: String
    public let availableTokens: [String: Int]

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
