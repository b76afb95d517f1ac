import FactoryCore
import Foundation

/// Chooses a mixture by minimizing a weighted sum of surrogate predictions, plus an optional KL
/// penalty toward the prior, over the capped simplex, subject to optional floors (a surrogate's
/// prediction must stay at or above a limit, or at or below one for a minimized metric).
///
/// The search: dense Dirichlet sampling around the prior (projected onto the capped simplex,
/// samples breaking a floor dropped), then projected gradient descent with backtracking from the
/// best samples (central-difference gradients, so every surrogate family works); a step that
/// would break a floor is shortened to the last point of its segment that keeps every floor
/// (bisection), so the descent can end on a floor. The sampled optimum is reported too, as a
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

    /// A constraint on one surrogate's prediction: at least `limit` for a maximized metric, at
    /// most `limit` for a minimized one.
    public struct Floor: Sendable {
        public let surrogate: Surrogate
        public let goal: TargetGoal
        public let limit: Double
        public init(surrogate: Surrogate, goal: TargetGoal, limit: Double) {
            self.surrogate = surrogate
            self.goal = goal
            self.limit = limit
        }

        /// How far `prediction` is on the good side of the limit (negative: the floor is broken).
        public func slack(_ prediction: Double) -> Double { goal == .maximize ? prediction - limit : limit - prediction }
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
        /// Each floor's slack at the proposal, by its surrogate's target (≥ 0; near 0: the floor binds).
        public let floorSlack: [String: Double]
    }

    public let domains: [String]
    public let terms: [Term]
    /// For each term, the position in `domains` of each of its surrogate's domains.
    private let termOrders: [[Int]]
    public let floors: [Floor]
    /// For each floor, the position in `domains` of each of its surrogate's domains.
    private let floorOrders: [[Int]]
    public let prior: Mixture
    public let feasible: CappedSimplex
    public let klWeight: Double

    /// All surrogates must share `domains` (the prior's domains); term weights must be finite
    /// (negative maximizes that metric), `klWeight` finite and non-negative, floor limits finite.
    public init(terms: [Term], prior: Mixture, caps: [Double], klWeight: Double = 0, floors: [Floor] = []) throws {
        guard klWeight >= 0, klWeight.isFinite else {
            throw FactoryError.invalidArgument(name: "KL weight", message: "must be finite and non-negative, got \(klWeight)")
        }
        if let term = terms.first(where: { !$0.weight.isFinite }) {
            throw FactoryError.invalidArgument(
                name: "weight of the surrogate for '\(term.surrogate.target)'", message: "must be finite, got \(term.weight)")
        }
        domains = prior.domains
        if let floor = floors.first(where: { !$0.limit.isFinite }) {
            throw FactoryError.invalidArgument(
                name: "floor of '\(floor.surrogate.target)'", message: "must be a finite number, got \(floor.limit)")
        }
        for surrogate in terms.map(\.surrogate) + floors.map(\.surrogate)
        where Set(surrogate.domains) != Set(domains) || surrogate.domains.count != domains.count {
            throw FactoryError.invalidArgument(
                name: "surrogate for '\(surrogate.target)'",
                message:
                    "its domains (\(surrogate.domains.joined(separator: ", "))) differ from the prior's (\(domains.joined(separator: ", ")))")
        }
        guard !terms.isEmpty else { throw FactoryError.invalidArgument(name: "objective", message: "needs at least one surrogate") }
        self.terms = terms
        termOrders = terms.map { term in term.surrogate.domains.map { prior.domains.firstIndex(of: $0)! } }
        self.floors = floors
        floorOrders = floors.map { floor in floor.surrogate.domains.map { prior.domains.firstIndex(of: $0)! } }
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

    /// Each floor's slack at `x` (negative where it is broken).
    public func floorSlack(_ x: [Double]) -> [Double] {
        zip(floors, floorOrders).map { floor, order in floor.slack(floor.surrogate.model.predict(order.map { x[$0] })) }
    }

    /// Whether `x` keeps every floor, up to rounding (a relative 1e-12: the prior projected onto
    /// the caps keeps a floor of margin 0 though its prediction moves in the last bits).
    public func keepsFloors(_ x: [Double]) -> Bool {
        zip(floorSlack(x), floors).allSatisfy { slack, floor in slack >= -1e-12 * max(1, abs(floor.limit)) }
    }

    /// Searches and returns the proposal.
    ///
    /// - Throws: `FactoryError.invalidArgument` when no sample (the prior among them) keeps the floors.
    public func propose(samples: Int = 20_000, refinements: Int = 5, iterations: Int = 300, seed: UInt64 = 0) throws -> Proposal {
        let dirichlet = DirichletSampler(stream: RandomStream(seed: seed).split("proposer"))
        let priorVector = prior.weights
        var candidates = [feasible.project(priorVector)]
        for index in 0..<samples {
            let concentration = [0.3, 1, 3, 10, 30][index % 5] * Double(domains.count)
            candidates.append(feasible.project(dirichlet.sample(alpha: priorVector.map { max($0 * concentration, 1e-3) }, index: index)))
        }
        var scored = candidates.filter(keepsFloors).map { (value: objective($0), x: $0) }
        guard !scored.isEmpty else {
            let floorText = floors.map { "\($0.surrogate.target) \($0.goal == .maximize ? "≥" : "≤") \($0.limit)" }
            throw FactoryError.invalidArgument(
                name: "floors",
                message:
                    "none of \(candidates.count) sampled mixtures, the prior among them, keeps \(floorText.joined(separator: ", ")); widen the margins"
            )
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
        for (floor, order) in zip(floors, floorOrders) { predictions[floor.surrogate.target] = floor.surrogate.predict(order.map { best.x[$0] }) }
        let slack = floorSlack(best.x)
        return Proposal(
            mixture: mixture, objective: best.value, predictions: predictions,
            bestSample: try Mixture.normalizing(Dictionary(uniqueKeysWithValues: zip(domains, bestSample.x)), source: "sample"),
            bestSampleObjective: bestSample.value,
            domainsAtZero: active.atZero.map { domains[$0] }, domainsAtCap: active.atCap.map { domains[$0] },
            floorSlack: Dictionary(zip(floors.map(\.surrogate.target), slack), uniquingKeysWith: min))
    }

    /// The point of the segment from `x` (keeping the floors) to `candidate` farthest along it
    /// that keeps the floors (bisection; the segment stays in the convex capped simplex).
    private func lastKeepingFloors(from x: [Double], to candidate: [Double]) -> [Double] {
        if keepsFloors(candidate) { return candidate }
        var (low, high) = (0.0, 1.0)
        for _ in 0..<30 {
            let middle = (low + high) / 2
            if keepsFloors(zip(x, candidate).map { $0 + middle * ($1 - $0) }) { low = middle } else { high = middle }
        }
        return zip(x, candidate).map { $0 + low * ($1 - $0) }
    }

    /// Projected gradient descent with a backtracking step, keeping the floors.
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
                let candidate = lastKeepingFloors(from: x, to: feasible.project(zip(x, gradient).map { $0 - step * $1 }))
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
