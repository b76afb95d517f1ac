import FactoryCore
import Foundation
import Models
import Shards
import Tokenization

/// A checkpoint's held-out loss per domain, and the `eval.json` schema it is kept in: an object
/// with one member per domain, `{"loss": nats per token, "bpb": bits per byte, "tokens": count}`.
public struct EvaluationResults: Sendable, Equatable {
    /// How the validation streams are cut into windows.
    public struct Settings: Sendable, Equatable {
        /// Tokens per evaluated window.
        public var sequenceLength = 128
        /// Windows per forward pass.
        public var batch = 8
        /// At most this many windows per domain.
        public var maxSequences = 64

        /// The defaults, changed where given.
        public init(sequenceLength: Int? = nil, batch: Int? = nil, maxSequences: Int? = nil) {
            if let sequenceLength { self.sequenceLength = sequenceLength }
            if let batch { self.batch = batch }
            if let maxSequences { self.maxSequences = maxSequences }
        }

        /// Checks that every setting is at least 1, naming the command-line option
        /// (`--sequence-length`, `--batch`, `--max-sequences`) of a bad one.
        public func validate() throws {
            for (name, value) in [("--sequence-length", sequenceLength), ("--batch", batch), ("--max-sequences", maxSequences)]
            where value < 1 {
                throw FactoryError.invalidArgument(name: name, message: "must be at least 1, got \(value)")
            }
        }

        /// The settings as a config table (how an evaluation run records them).
        public var value: ConfigValue {
            .table(["sequence_length": .integer(sequenceLength), "batch": .integer(batch), "max_sequences": .integer(maxSequences)])
        }
    }

    /// Each domain's result.
    public var domains: [String: DomainEvaluator.Result]
    /// Domains of the validation shards that could not be evaluated, with the reason
    /// (``DomainEvaluator/skippedDomains``); not part of `eval.json`, reported by the caller.
    public var skippedDomains: [String: String]

    /// Results from their parts.
    public init(domains: [String: DomainEvaluator.Result], skippedDomains: [String: String] = [:]) {
        self.domains = domains
        self.skippedDomains = skippedDomains
    }

    /// Evaluates the checkpoint folder `checkpoint` (verified on load) on the validation shard
    /// folder `shards`, decoding bytes with `tokenizer` (default: the checkpoint's own
    /// `tokenizer.json`).
    ///
    /// Refused up front: settings below 1 (`Settings.validate`), a batch whose memory
    /// (`LagunaMemoryEstimate`) exceeds the machine's, a checkpoint with NaN or infinite weights
    /// (``FactoryError/corrupt(path:reason:)`` naming the tensor); a loss that still comes out
    /// non-finite is an error naming the domain, never a result.
    public static func evaluate(checkpoint: String, shards: String, tokenizer: String?, settings: Settings) throws -> EvaluationResults {
        try settings.validate()
        let model = try LagunaCheckpoint.read(directory: checkpoint, verify: true).model
        let config = model.config
        try MemoryBudget.require(
            LagunaMemoryEstimate.weightBytes(config).flatMap { weights in
                LagunaMemoryEstimate.activationBytes(config, batch: settings.batch, time: settings.sequenceLength).flatMap {
                    MemoryBudget.sum(weights, $0)
                }
            },
            for: "evaluating \(checkpoint) with --batch \(settings.batch) and --sequence-length \(settings.sequenceLength)",
            name: "--batch")
        if let bad = NonFiniteValue.first(in: model.parameters) {
            throw FactoryError.corrupt(path: checkpoint, reason: "its weights are not finite (\(bad.description)); nothing to evaluate")
        }
        let validation = try DomainTokens(directory: shards)
        let tokenizerPath = tokenizer ?? checkpoint + "/tokenizer.json"
        let loaded = try Tokenizer.load(path: tokenizerPath)
        try validation.requireTokenizer(loaded, path: tokenizerPath, name: tokenizer == nil ? "checkpoint tokenizer" : "tokenizer")
        let evaluator = try DomainEvaluator(
            validation: validation, tokenizer: loaded,
            time: settings.sequenceLength, batchSize: settings.batch, maximumSequences: settings.maxSequences, source: shards)
        let domains = try evaluator.evaluate(model)
        for (domain, result) in domains.sorted(by: { $0.key < $1.key }) where !result.loss.isFinite {
            throw FactoryError.corrupt(path: checkpoint, reason: "its loss on domain '\(domain)' of \(shards) is \(result.loss)")
        }
        return EvaluationResults(domains: domains, skippedDomains: evaluator.skippedDomains)
    }

    /// The `eval.json` value.
    public var value: ConfigValue {
        .table(
            domains.mapValues { result in
                .table(["loss": .float(result.loss), "bpb": .float(result.bitsPerByte), "tokens": .integer(result.tokens)])
            })
    }

    /// Reads results back from an `eval.json` value.
    ///
    /// - Throws: ``FactoryError/corrupt(path:reason:)`` naming `source` and the domain and field
    ///   that is missing or not a number.
    public init(value: ConfigValue, source: String) throws {
        guard case .table(let table) = value else { throw FactoryError.corrupt(path: source, reason: "expected an object of domains") }
        var domains = [String: DomainEvaluator.Result]()
        for (domain, entry) in table {
            guard case .table(let fields) = entry else { throw FactoryError.corrupt(path: source, reason: "\(domain): expected an object") }
            func number(_ key: String) throws -> Double {
                switch fields[key] {
                case .integer(let number)?: return Double(number)
                case .float(let number)?: return number
                default: throw FactoryError.corrupt(path: source, reason: "\(domain).\(key): missing or not a number")
                }
            }
            domains[domain] = DomainEvaluator.Result(loss: try number("loss"), bitsPerByte: try number("bpb"), tokens: Int(try number("tokens")))
        }
        self.domains = domains
        skippedDomains = [:]
    }
}
