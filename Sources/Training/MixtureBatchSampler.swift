import FactoryCore
import Models
import Shards

/// Draws fixed-length training sequences from domain token streams by mixture weights.
///
/// Stateless: the batch for (seed, replica, step) is a pure function of them, so resuming at a
/// step needs no saved position, and replicas draw disjoint streams. Each sequence picks its
/// domain by weight, then a uniformly random window of `time + 1` tokens in that domain.
public struct MixtureBatchSampler: Sendable {
    public let tokens: DomainTokens
    /// Domain weights in `domains` order, summing to 1.
    public let weights: [Double]
    /// Domains with a positive weight, sorted.
    public let domains: [String]
    public let seed: UInt64

    /// - Parameter mixture: domain → weight (normalized here); every named domain must exist and
    ///   have at least `time + 1` tokens.
    public init(tokens: DomainTokens, mixture: [String: Double], time: Int, seed: UInt64) throws {
        let domains = mixture.keys.filter { mixture[$0]! > 0 }.sorted()
        for name in mixture.keys.sorted() {
            guard let stream = tokens.streams[name] else {
                throw FactoryError.invalidArgument(
                    name: "mixture domain '\(name)'", message: "not in the shards (domains: \(tokens.domains.joined(separator: ", ")))")
            }
            guard let weight = mixture[name], weight >= 0, weight.isFinite else {
                throw FactoryError.invalidArgument(name: "mixture weight of '\(name)'", message: "must be a non-negative number")
            }
            if weight > 0, stream.count < time + 1 {
                throw FactoryError.invalidArgument(
                    name: "mixture domain '\(name)'", message: "has \(stream.count) tokens, fewer than one sequence of \(time + 1)")
            }
        }
        let total = domains.reduce(0) { $0 + mixture[$1]! }
        guard total > 0 else { throw FactoryError.invalidArgument(name: "mixture", message: "no domain has a positive weight") }
        self.tokens = tokens
        self.domains = domains
        self.weights = domains.map { mixture[$0]! / total }
        self.seed = seed
    }

    /// The weights proportional to each domain's token count (the natural mixture).
    public static func tokenShares(of tokens: DomainTokens) -> [String: Double] {
        let total = Double(tokens.streams.values.reduce(0) { $0 + $1.count })
        return tokens.streams.mapValues { Double($0.count) / total }
    }

    /// `batch` sequences of `time` inputs with their next-token targets.
    public func batch(step: Int, replica: Int = 0, size batch: Int, time: Int) throws -> (inputs: TokenBatch, targets: [Int32]) {
        let stream = RandomStream(seed: seed).split("sampler").split("replica", replica).split(step)
        var inputs = [Int32]()
        var targets = [Int32]()
        inputs.reserveCapacity(batch * time)
        targets.reserveCapacity(batch * time)
        for row in 0..<batch {
            let domainDraw = Double(stream.uniform(at: UInt64(2 * row)))
            var cumulative = 0.0
            var chosen = domains.count - 1
            for (index, weight) in weights.enumerated() {
                cumulative += weight
                if domainDraw < cumulative {
                    chosen = index
                    break
                }
            }
            let sequence = tokens.streams[domains[chosen]]!
            let start = Int(stream.word(at: UInt64(2 * row + 1)) % UInt64(sequence.count - time))
            for offset in 0..<time {
                inputs.append(Int32(bitPattern: sequence[start + offset]))
                targets.append(Int32(bitPattern: sequence[start + offset + 1]))
            }
        }
        return (try TokenBatch(batch: batch, time: time, tokens: inputs), targets)
    }
}
