import FactoryCore
import Foundation

/// Chooses a mixture by minimizing a weighted sum of surrogate predictions, plus an optional KL
/// penalty toward the prior, over the capped simplex.
///
/// The search: dense Dirichlet sampling around the prior (projected onto the feasible set), then
/// projected gradient descent with backtracking from the best samples (central-difference
/// gradients, so every surrogate family works). The sampled optimum is reported too, as a
/// cross-check: the refined objective is never worse.
public struct MixtureProposer: Sendable {
    /// One term of the objective: `weight · surrogate(x)`.
    public struct Term: Sendable {
        public let surrogate: Surrogate
        public let weight: Double
        public init(surrogate: Surrogate, weight: Double) {
            self.surrogate = surrogate
            self.weight = weight
        }
    }

    /// The chosen mixture and what the surrogates say about it.
    public struct Proposal: Sendable {
        public let mixture: Mixture
        public let objective: Double
        /// Metric → (prediction, uncertainty).
        public let predictions: [String: (prediction: Double, uncertainty: Double)]
        /// The best of the dense samples, and its objective (the cross-check).
        public let bestSample: Mixture
        public let bestSampleObjective: Double
        public let domainsAtZero: [String]
        public let domainsAtCap: [String]
    }

    public let domains: [String]
    public let terms: [Term]
    /// For each term, the position in `domains` of each of its surrogate's domains.
    private let termOrders: [[Int]]
    public let prior: Mixture
    public let feasible: CappedSimplex
    public let klWeight: Double

    /// All surrogates must share `domains` (the prior's domains); term weights must be finite
    /// (negative maximizes that metric) and `klWeight` finite and non-negative.
    public init(terms: [Term], prior: Mixture, caps: [Double], klWeight: Double = 0) throws {
        guard klWeight >= 0, klWeight.isFinite else {
            throw FactoryError.invalidArgument(name: "KL weight", message: "must be finite and non-negative, got \(klWeight)")
        }
        if let term = terms.first(where: { !$0.weight.isFinite }) {
            throw FactoryError.invalidArgument(
                name: "weight of the surrogate for '\(term.surrogate.target)'", message: "must be finite, got \(term.weight)")
        }
        domains = prior.domains
        for term in terms where Set(term.surrogate.domains) != Set(domains) || term.surrogate.domains.count != domains.count {
            throw FactoryError.invalidArgument(
                name: "surrogate for '\(term.surrogate.target)'",
                message:
                    "its domains (\(term.surrogate.domains.joined(separator: ", "))) differ from the prior's (\(domains.joined(separator: ", ")))")
        }
        guard !terms.isEmpty else { throw FactoryError.invalidArgument(name: "objective", message: "needs at least one surrogate") }
        self.terms = terms
        termOrders = terms.map { term in term.surrogate.domains.map { prior.domains.firstIndex(of: $0)! } }
        self.prior = prior
        feasible = try CappedSimplex(caps: caps, domains: domains)
        self.klWeight = klWeight
    }

    /// The objective at `x`.
    public func objective(_ x: [Double]) -> Double {
        var value = 0.0
        for (term, order) in zip(terms, termOrders) { value += term.weight * term.surrogate.model.predict(order.map { x[$0] }) }
        if klWeight > 0 {
            for (share, reference) in zip(x, prior.weights) where share > 0 {
                value += klWeight * share * log(share / max(reference, 1e-12))
            }
        }
        return value
    }

    /// Searches and returns the proposal.
    public func propose(samples: Int = 20_000, refinements: Int = 5, iterations: Int = 300, seed: UInt64 = 0) throws -> Proposal {
        let dirichlet = DirichletSampler(stream: RandomStream(seed: seed).split("proposer"))
        let priorVector = prior.weights
        var scored: [(value: Double, x: [Double])] = [(objective(feasible.project(priorVector)), feasible.project(priorVector))]
        for index in 0..<samples {
            let concentration = [0.3, 1, 3, 10, 30][index % 5] * Double(domains.count)
            let x = feasible.project(dirichlet.sample(alpha: priorVector.map { max($0 * concentration, 1e-3) }, index: index))
            scored.append((objective(x), x))
        }
        scored.sort { $0.value < $1.value }
        let bestSample = scored[0]
        var best = bestSample
        for start in scored.prefix(refinements) {
            let refined = descend(from: start.x, iterations: iterations)
            let value = objective(refined)
            if value < best.value { best = (value, refined) }
        }
        let mixture = try Mixture.normalizing(Dictionary(uniqueKeysWithValues: zip(domains, best.x)), source: "proposal")
        let active = feasible.activeConstraints(best.x)
        var predictions = [String: (prediction: Double, uncertainty: Double)]()
        for (term, order) in zip(terms, termOrders) { predictions[term.surrogate.target] = term.surrogate.predict(order.map { best.x[$0] }) }
        return Proposal(
            mixture: mixture, objective: best.value, predictions: predictions,
            bestSample: try Mixture.normalizing(Dictionary(uniqueKeysWithValues: zip(domains, bestSample.x)), source: "sample"),
            bestSampleObjective: bestSample.value,
            domainsAtZero: active.atZero.map { domains[$0] }, domainsAtCap: active.atCap.map { domains[$0] })
    }

    /// Projected gradient descent with a backtracking step.
    private func descend(from start: [Double], iterations: Int) -> [Double] {
        var x = start
        var value = objective(x)
        var step = 0.1
        for _ in 0..<iterations {
            let h = 1e-4
            let gradient = x.indices.map { j -> Double in
                var plus = x
                var minus = x
                plus[j] += h
                minus[j] = max(minus[j] - h, 0)
                return (objective(plus) - objective(minus)) / (plus[j] - minus[j])
            }
            var improved = false
            while step > 1e-8 {
                let candidate = feasible.project(zip(x, gradient).map { $0 - step * $1 })
                let candidateValue = objective(candidate)
                if candidateValue < value - 1e-12 {
                    (x, value) = (candidate, candidateValue)
                    step *= 1.5
                    improved = true
                    break
                }
                step /= 2
            }
            if !improved { break }
        }
        return x
    }
}
