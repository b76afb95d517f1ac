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
    ///   - availableTokens: domain → training tokens available (each positive).
    ///   - budgetTokens: tokens one proxy run trains on.
    /// - Throws: `FactoryError.invalidArgument` for no domains, a domain without tokens, a budget
    ///   that is not positive, or settings out of range (a negative temperature, a concentration
    ///   range that is not positive, a minimum weight outside [0, 1), epochs that are not positive).
    public init(availableTokens: [String: Int], budgetTokens: Int, settings: Settings = Settings()) throws {
        guard !availableTokens.isEmpty, budgetTokens > 0 else {
            throw FactoryError.invalidArgument(name: "swarm", message: "needs domains with tokens and a positive token budget")
        }
        if let empty = availableTokens.keys.sorted().first(where: { availableTokens[$0]! <= 0 }) {
            throw FactoryError.invalidArgument(
                name: "swarm", message: "domain '\(empty)' has \(availableTokens[empty]!) training tokens; every domain needs some")
        }
        guard settings.temperature >= 0, settings.maximumEpochs > 0, (0..<1).contains(settings.minimumWeight),
            settings.minimumConcentration > 0, settings.maximumConcentration >= settings.minimumConcentration,
            settings.maximumConcentration.isFinite
        else {
            throw FactoryError.invalidArgument(
                name: "swarm settings",
                message:
                    "temperature \(settings.temperature) must not be negative, max epochs \(settings.maximumEpochs) must be positive, "
                    + "min weight \(settings.minimumWeight) in [0, 1), concentrations \(settings.minimumConcentration)..."
                    + "\(settings.maximumConcentration) positive and finite")
        }
        domains = availableTokens.keys.sorted()
        self.availableTokens = domains.map { availableTokens[$0]! }
        self.budgetTokens = budgetTokens
        self.settings = settings
    }

    /// Token shares raised to the temperature, normalized.
    ///
    /// Each share is taken relative to the largest domain's, `(n_i / n_max)^t`, so the largest
    /// domain weighs exactly 1 before normalizing and no temperature can underflow every share
    /// to zero.
    public var prior: Mixture {
        let largest = Double(availableTokens.max()!)
        let tempered = availableTokens.map { pow(Double($0) / largest, settings.temperature) }
        do {
            return try Mixture.normalizing(Dictionary(uniqueKeysWithValues: zip(domains, tempered)), source: "prior")
        } catch {
            preconditionFailure("tempered shares in [0, 1] with one exactly 1 always normalize: \(tempered)")
        }
    }

    /// Per-domain caps on the weight: available tokens × max epochs / budget.
    public var caps: [Double] {
        availableTokens.map { min(1, Double($0) * settings.maximumEpochs / Double(budgetTokens)) }
    }

    /// `count` accepted mixtures (deterministic by seed); gives up after `count × 100` draws.
    ///
    /// - Throws: `FactoryError.invalidArgument` for a count that is not positive or whose
    ///   mixtures would not fit in memory, and when the draws run out.
    public func sample(count: Int) throws -> [Mixture] {
        guard count > 0 else { throw FactoryError.invalidArgument(name: "swarm count", message: "must be positive, got \(count)") }
        // Each accepted mixture holds a weight and a domain name per domain, and a copy of its
        // weights in the set that rejects repeats.
        try MemoryBudget.require(
            MemoryBudget.product(count, domains.count, 2 * MemoryLayout<Double>.stride + MemoryLayout<String>.stride),
            for: "a swarm of \(count) mixtures over \(domains.count) domains", name: "swarm count")
        let stream = RandomStream(seed: settings.seed).split("swarm")
        let dirichlet = DirichletSampler(stream: stream.split("dirichlet"))
        let priorVector = prior.vector(over: domains)
        let caps = self.caps
        let maximumDraws = count.multipliedReportingOverflow(by: 100).overflow ? Int.max : count * 100
        var accepted = [Mixture]()
        var seen = Set<[Double]>()
        var draw = 0
        while accepted.count < count {
            guard draw < maximumDraws else {
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
            guard seen.insert(weights).inserted else { continue }
            accepted.append(try Mixture(Dictionary(uniqueKeysWithValues: zip(domains, weights)), source: "swarm"))
        }
        return accepted
    }
}
