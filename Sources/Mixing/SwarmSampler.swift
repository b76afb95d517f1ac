import FactoryCore
import Foundation

/// Samples the proxy swarm's mixtures (DESIGN section 8): Dirichlet draws around a prior (token
/// shares raised to a temperature), concentration log-uniform in [0.1, 5], tiny weights zeroed,
/// and mixtures that would repeat a domain more than its epoch cap (or repeat an earlier draw)
/// rejected.
public struct SwarmSampler: Sendable {
    public struct Settings: Sendable, Codable, Equatable {
        public var temperature = 0.5
        public var minimumConcentration = 0.1
        public var maximumConcentration = 5.0
        /// Weights below this are set to 0 (then the rest renormalized).
        public var minimumWeight = 0.01
        /// A domain may be seen at most this many times over within the token budget.
        public var maximumEpochs = 4.0
        public var seed: UInt64 = 0

        public init() {}
    }

    public let domains: [String]
    public let availableTokens: [Int]
    public let budgetTokens: Int
    public let settings: Settings

    /// - Parameters:
    ///   - availableTokens: domain → training tokens available.
    ///   - budgetTokens: tokens one proxy run trains on.
    public init(availableTokens: [String: Int], budgetTokens: Int, settings: Settings = Settings()) throws {
        guard !availableTokens.isEmpty, budgetTokens > 0 else {
            throw FactoryError.invalidArgument(name: "swarm", message: "needs domains with tokens and a positive token budget")
        }
        domains = availableTokens.keys.sorted()
        self.availableTokens = domains.map { availableTokens[$0]! }
        self.budgetTokens = budgetTokens
        self.settings = settings
    }

    /// Token shares raised to the temperature, normalized.
    public var prior: Mixture {
        let total = Double(availableTokens.reduce(0, +))
        let tempered = availableTokens.map { pow(Double($0) / total, settings.temperature) }
        // Token counts are positive, so the tempered shares have a positive sum.
        return try! Mixture.normalizing(Dictionary(uniqueKeysWithValues: zip(domains, tempered)), source: "prior")
    }

    /// Per-domain caps on the weight: available tokens × max epochs / budget.
    public var caps: [Double] {
        availableTokens.map { min(1, Double($0) * settings.maximumEpochs / Double(budgetTokens)) }
    }

    /// `count` accepted mixtures (deterministic by seed); gives up after `count × 100` draws.
    public func sample(count: Int) throws -> [Mixture] {
        let stream = RandomStream(seed: settings.seed).split("swarm")
        let dirichlet = DirichletSampler(stream: stream.split("dirichlet"))
        let priorVector = prior.vector(over: domains)
        let caps = self.caps
        var accepted = [Mixture]()
        var draw = 0
        while accepted.count < count {
            guard draw < count * 100 else {
                throw FactoryError.invalidArgument(
                    name: "swarm",
                    message:
                        "only \(accepted.count) of \(count) mixtures respect the epoch caps after \(draw) draws; raise max epochs or lower the budget"
                )
            }
            let u = Double(stream.split("concentration").uniform(at: UInt64(draw)))
            let concentration = exp(
                log(settings.minimumConcentration) + u * (log(settings.maximumConcentration) - log(settings.minimumConcentration)))
            var weights = dirichlet.sample(alpha: priorVector.map { max($0 * concentration * Double(domains.count), 1e-3) }, index: draw)
            draw += 1
            weights = weights.map { $0 < settings.minimumWeight ? 0 : $0 }
            let total = weights.reduce(0, +)
            guard total > 0 else { continue }
            weights = weights.map { $0 / total }
            guard zip(weights, caps).allSatisfy({ $0 <= $1 + 1e-12 }) else { continue }
            // A repeated mixture (typically a single domain) would only repeat a proxy run.
            guard !accepted.contains(where: { $0.weights == weights }) else { continue }
            accepted.append(try Mixture(Dictionary(uniqueKeysWithValues: zip(domains, weights)), source: "swarm"))
        }
        return accepted
    }
}
