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
    }

    public struct Sweep: Codable, Sendable, Equatable {
        public var workers: Int?
        public var threads: Int?
        /// The share of the swarm held out to measure the surrogate on runs it did not see.
        public var holdout: Double?
    }

    public struct Propose: Codable, Sendable, Equatable {
        public var kl: Double?
        public var surrogate: String?
        /// Train the proposed and the prior mixture with the proxy budget and compare.
        public var check: Bool?
    }

    public var base: String
    public var directory: String
    public var target: String
    public var swarm: Swarm
    public var sweep: Sweep?
    public var propose: Propose?

    public static func load(path: String) throws -> AutoMixerConfig {
        let config = try ConfigLoader.decode(AutoMixerConfig.self, tomlFile: path)
        guard config.swarm.count >= 4 else {
            throw FactoryError.config(file: path, keyPath: "swarm.count", line: nil, message: "need at least 4 mixtures, got \(config.swarm.count)")
        }
        if let holdout = config.sweep?.holdout, !(0..<0.9).contains(holdout) {
            throw FactoryError.config(file: path, keyPath: "sweep.holdout", line: nil, message: "must be in [0, 0.9), got \(holdout)")
        }
        return config
    }
}

/// What AutoMixer reads from the proxy run file: the token budget and the training shards.
public struct ProxyRunFacts: Sendable {
    public let budgetTokens: Int
    public let trainShards: String
    public let availableTokens: [String: Int]

    public init(runFile: String) throws {
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
        budgetTokens = steps * batch * sequence * accumulation
        trainShards = shards
        var available = [String: Int]()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: shards)) ?? []
        for name in names.sorted() where name.hasSuffix(".manifest.json") {
            let manifest = try TokenShardManifest.load(path: shards + "/" + name)
            available[manifest.domain] = manifest.tokens
        }
        guard !available.isEmpty else {
            throw FactoryError.config(file: runFile, keyPath: "data.train", line: nil, message: "\(shards) holds no shard manifests")
        }
        availableTokens = available
    }
}
