import FactoryCore
import Foundation

/// The AutoMixer's objective over several metrics: a surrogate per target (and per reported
/// metric), each target scaled by its spread across the swarm, and the floors.
///
/// The objective is Σ weightᵢ · signᵢ · predictionᵢ / scaleᵢ, sign +1 for a minimized metric and
/// −1 for a maximized one, scale the metric's sample standard deviation across the swarm (so a
/// weight compares one swarm-spread of loss with one swarm-spread of a score, not their units).
/// A target with a margin has a floor: the proposal's prediction may be worse than the prior's
/// prediction by at most the margin (below it for a score, above it for a loss).
public struct MixObjective: Sendable {
    /// One fitted metric.
    public struct Fitted: Sendable {
        public let metric: String
        public let surrogate: Surrogate
        /// The sample standard deviation of the metric across the swarm.
        public let scale: Double
    }

    public let targets: [ResolvedTarget]
    /// The targets' surrogates in `targets` order, then those of the reported metrics.
    public let fitted: [Fitted]

    /// Fits a surrogate to every target and every `reported` metric of `metrics` (rows `x`, one
    /// weight per domain of `domains`). A reported metric constant across the swarm is left out
    /// (nothing to fit); a constant or missing target is an error naming `source`.
    public static func fit(
        targets: [ResolvedTarget], reported: [String], metrics: NumericTable, x: [[Double]], domains: [String],
        kinds: [SurrogateKind] = SurrogateKind.allCases, source: String
    ) throws -> MixObjective {
        var fitted = [Fitted]()
        let others = reported.filter { metric in metrics.columns.contains(metric) && !targets.contains { $0.metric == metric } }
        for (metric, isTarget) in targets.map({ ($0.metric, true) }) + others.map({ ($0, false) }) {
            let values = try metrics.column(metric, source: source)
            if !isTarget, !values.allSatisfy(\.isFinite) || !values.contains(where: { $0 != values[0] }) { continue }
            let surrogate = try Surrogate.fit(target: metric, domains: domains, x: x, y: values, kinds: kinds, folds: min(5, x.count))
            fitted.append(Fitted(metric: metric, surrogate: surrogate, scale: SignalTable.standardDeviation(values)))
        }
        return MixObjective(targets: targets, fitted: fitted)
    }

    /// The proposer of this objective: the scaled terms, the floors at the prior's predictions,
    /// the KL penalty toward `prior` and the caps.
    public func proposer(prior: Mixture, caps: [Double], klWeight: Double) throws -> MixtureProposer {
        var terms = [MixtureProposer.Term]()
        var floors = [MixtureProposer.Floor]()
        for (target, model) in zip(targets, fitted) {
            terms.append(.init(surrogate: model.surrogate, weight: target.goal.costSign * target.weight / model.scale))
            if let margin = target.margin {
                let priorPrediction = model.surrogate.model.predict(prior.vector(over: model.surrogate.domains))
                floors.append(.init(surrogate: model.surrogate, goal: target.goal, limit: priorPrediction + target.goal.costSign * margin))
            }
        }
        return try MixtureProposer(terms: terms, prior: prior, caps: caps, klWeight: klWeight, floors: floors)
    }

    /// Predicted and measured per fitted metric; `measured` holds the check runs (row 1 the
    /// proposal, row 2 the prior) when they ran.
    public func outcomes(proposal: Mixture, prior: Mixture, floors: [MixtureProposer.Floor], measured: NumericTable?) -> [TargetOutcome] {
        fitted.map { model in
            let target = targets.first { $0.metric == model.metric }
            let predicted = model.surrogate.predict(proposal.vector(over: model.surrogate.domains))
            let column = measured.flatMap { table in
                table.columns.firstIndex(of: model.metric).flatMap { position in table.rows.count == 2 ? table.rows.map { $0[position] } : nil }
            }
            return TargetOutcome(
                metric: model.metric, goal: target?.goal ?? TargetGoal.implied(by: model.metric) ?? .minimize, weight: target?.weight ?? 0,
                margin: target?.margin, scale: model.scale, predictedProposal: predicted.prediction,
                proposalUncertainty: predicted.uncertainty,
                predictedPrior: model.surrogate.model.predict(prior.vector(over: model.surrogate.domains)),
                floor: floors.first { $0.surrogate.target == model.metric }?.limit, measuredProposal: column?[0], measuredPrior: column?[1])
        }
    }
}
