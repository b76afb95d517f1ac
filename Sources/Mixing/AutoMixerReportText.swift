import Foundation

extension AutoMixer.Report {
    /// The report as `factory mix auto` prints it: the swarm, the surrogate and how well it ranks
    /// unseen runs, the prior and the proposal, the predictions, and the check runs' result.
    public func renderText() -> String {
        var text = "swarm: \(swarmSize) proxy runs\n"
        text += "surrogate: \(surrogate.kind.rawValue), cross-validated Spearman \(surrogate.crossValidatedSpearman)\n"
        if let rho = heldOutSpearman { text += "held-out Spearman (\(heldOutCount) unseen runs): \(String(format: "%.3f", rho))\n" }
        text += "prior:\n\(prior.tomlText)proposed:\n\(proposal.mixture.tomlText)"
        for (metric, value) in proposal.predictions {
            text += "predicted \(metric): \(String(format: "%.4f", value.prediction)) ± \(String(format: "%.4f", value.uncertainty))\n"
        }
        text += "at zero: \(proposal.domainsAtZero.joined(separator: ", ")); at cap: \(proposal.domainsAtCap.joined(separator: ", "))\n"
        if let check {
            text += "check \(surrogate.target): proposed \(String(format: "%.4f", check.proposed)), prior \(String(format: "%.4f", check.prior))\n"
        }
        return text
    }
}
