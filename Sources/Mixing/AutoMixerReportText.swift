import Foundation

extension AutoMixer.Report {
    /// The report as `factory mix auto` prints it: the swarm, the surrogate and how well it ranks
    /// unseen runs, the targets, the prior and the proposal, and per fitted metric the predictions
    /// for both, the floor and the check runs' measurements.
    public func renderText() -> String {
        var text = "swarm: \(swarmSize) proxy runs\n"
        text += "surrogate for \(surrogate.target): \(surrogate.kind.rawValue), cross-validated Spearman \(surrogate.crossValidatedSpearman)\n"
        if let rho = heldOutSpearman { text += "held-out Spearman (\(heldOutCount) unseen runs): \(String(format: "%.3f", rho))\n" }
        text += "targets: \(targets.map { "\($0.metric) (\($0.goal.rawValue), weight \($0.weight))" }.joined(separator: ", ")): \(targetChoice)\n"
        text += "prior:\n\(prior.tomlText)proposed:\n\(proposal.mixture.tomlText)"
        text += "at zero: \(proposal.domainsAtZero.joined(separator: ", ")); at cap: \(proposal.domainsAtCap.joined(separator: ", "))\n"
        func value(_ number: Double?) -> String { number.map { String(format: "%.4f", $0) } ?? "-" }
        text += "metric\tweight\tpredicted proposal\tpredicted prior\tfloor\tmeasured proposal\tmeasured prior\n"
        for outcome in outcomes {
            text +=
                [
                    outcome.metric, String(outcome.weight),
                    "\(value(outcome.predictedProposal)) ± \(value(outcome.proposalUncertainty))", value(outcome.predictedPrior),
                    value(outcome.floor), value(outcome.measuredProposal), value(outcome.measuredPrior),
                ].joined(separator: "\t") + "\n"
        }
        return text
    }
}
