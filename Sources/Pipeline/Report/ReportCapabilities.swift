import Evaluation
import FactoryCore
import Foundation
import Mixing
import Reports

extension PipelineReport {
    /// The mixer's targets: per fitted metric, the weight and floor, the surrogate's predictions
    /// for the proposal and the prior, and what the check runs measured; scores also as a chart.
    func appendTargets(mix folder: String, to document: inout ReportDocument) throws {
        let path = folder + "/" + TargetOutcome.fileName
        guard FileManager.default.fileExists(atPath: path) else { return }
        let outcomes = try TargetOutcome.read(path: path)
        document.heading("Predicted and measured, per metric", level: 3)
        func value(_ number: Double?) -> String { number.map { NumberFormatting.fixed($0, decimals: 4) } ?? "-" }
        let rows = outcomes.map { outcome -> [String] in
            [
                outcome.metric,
                outcome.weight > 0 ? NumberFormatting.trimmed(outcome.weight, decimals: 3) : (outcome.floor == nil ? "-" : "0 (floor only)"),
                outcome.goal.rawValue,
                value(outcome.floor), "\(value(outcome.predictedProposal)) ± \(value(outcome.proposalUncertainty))",
                value(outcome.measuredProposal), value(outcome.predictedPrior), value(outcome.measuredPrior),
            ]
        }
        try document.table(
            header: ["metric", "weight", "goal", "floor", "predicted (proposal)", "measured (proposal)", "predicted (prior)", "measured (prior)"],
            rows: rows,
            caption: "Each metric's surrogate at the proposed mixture and at the prior, against the check runs (the proxy budget, "
                + "the same seed). Weight '-': fitted to be reported, not a target. The objective divides each target by its "
                + "standard deviation across the swarm; a floor is the prior's prediction moved by the margin.")
        let scores = outcomes.filter { $0.metric.hasSuffix("/score") && $0.measuredProposal != nil && $0.measuredPrior != nil }
        guard !scores.isEmpty else { return }
        document.chart(
            try BarChart(
                title: "Capability scores: predicted and measured", categories: scores.map(\.metric),
                series: [
                    ChartSeries(name: "predicted (proposal)", values: scores.map(\.predictedProposal)),
                    ChartSeries(name: "measured (proposal)", values: scores.map { $0.measuredProposal! }),
                    ChartSeries(name: "predicted (prior)", values: scores.map(\.predictedPrior)),
                    ChartSeries(name: "measured (prior)", values: scores.map { $0.measuredPrior! }),
                ],
                yLabel: "score", valueDecimals: 3),
            caption: "Per capability, the surrogates' predictions against the check runs' scores.")
    }

    /// The swarm's signal measurement, when it made one.
    func appendSignal(swarm: String, to document: inout ReportDocument) throws {
        let path = swarm + "/" + SignalTable.fileName
        guard FileManager.default.fileExists(atPath: path) else { return }
        let table = try SignalTable.read(path: path)
        document.heading("Signal against noise", level: 3)
        let rows = table.rows.map { row -> [String] in
            [
                row.metric, NumberFormatting.fixed(row.mean, decimals: 4), row.chance.map { NumberFormatting.fixed($0, decimals: 4) } ?? "-",
                NumberFormatting.fixed(row.mixtureSpread, decimals: 4), NumberFormatting.fixed(row.seedSpread, decimals: 4),
                row.snr.map { $0.isInfinite ? "∞" : NumberFormatting.fixed($0, decimals: 2) } ?? "undefined",
                row.usable ? "yes" : (row.atChance ? "no: at chance" : "no: SNR below \(NumberFormatting.trimmed(table.minSNR, decimals: 2))"),
            ]
        }
        try document.table(
            header: ["metric", "mean", "chance", "spread across mixtures", "spread across seeds", "SNR", "usable as a target"], rows: rows,
            caption: "The swarm's first \(table.mixtures) mixtures against \(table.seeds) seeds of its first mixture (sample "
                + "standard deviations). At chance: the mean is within 2 bootstrap standard errors of chance.")
    }

    /// Each pair of capability scores across the swarm, the non-dominated proxies highlighted.
    func appendParetoFront(metrics: NumericTable, to document: inout ReportDocument) throws {
        let capabilities = CapabilityMetrics.capabilities(in: metrics.columns)
        guard capabilities.count >= 2 else { return }
        document.heading("The swarm's Pareto front", level: 3)
        let columns = try capabilities.map { try metrics.column(CapabilityMetrics.scoreColumn($0), source: "metrics.csv") }
        let onFront = ParetoFront.nonDominated(metrics.rows.indices.map { row in columns.map { $0[row] } })
        document.paragraph(
            "Proxies no other proxy beats on every capability: runs "
                + zip(metrics.index, onFront).filter(\.1).map(\.0).joined(separator: ", ") + " of \(metrics.rows.count).")
        for first in capabilities.indices {
            for second in capabilities.indices where second > first {
                let points = metrics.index.indices.map {
                    ChartPoint(x: columns[first][$0], y: columns[second][$0], label: "run \(metrics.index[$0])")
                }
                document.chart(
                    ScatterPlot(
                        title: "\(capabilities[first]) against \(capabilities[second])", points: points,
                        xLabel: "\(capabilities[first]) score", yLabel: "\(capabilities[second]) score", highlighted: onFront,
                        highlight: ("dominated", "Pareto front")),
                    caption: "Each swarm proxy's scores; highlighted: non-dominated over all \(capabilities.count) capabilities.")
            }
        }
    }

    /// The final model's capability scores against the prior-mixture (and proposal) check runs.
    func appendCapabilities(eval: String, mix: String?, to document: inout ReportDocument) throws {
        let path = eval + "/" + EvalStage.capabilitiesFile
        guard FileManager.default.fileExists(atPath: path) else { return }
        let final = try CapabilityMetrics.read(path: path)
        let check = { (run: String) -> [String: Double]? in
            guard let mix else { return nil }
            let file = "\(mix)/check/\(run)/\(ProxySweep.capabilityResultsFile)"
            return FileManager.default.fileExists(atPath: file) ? try? CapabilityMetrics.read(path: file) : nil
        }
        let prior = check("run-002")
        let proposal = check("run-001")
        document.heading("Capabilities")
        func score(_ metrics: [String: Double]?, _ capability: String) -> String {
            metrics?["eval/\(capability)/score"].map { NumberFormatting.fixed($0, decimals: 4) } ?? "-"
        }
        let capabilities = CapabilityMetrics.capabilities(in: Array(final.keys))
        let rows = capabilities.map { capability -> [String] in
            [
                capability,
                score(final, capability) + " ± " + (final["eval/\(capability)/stderr"].map { NumberFormatting.fixed($0, decimals: 4) } ?? "-"),
                final["eval/\(capability)/chance"].map { NumberFormatting.fixed($0, decimals: 4) } ?? "-", score(prior, capability),
                score(proposal, capability),
            ]
        }
        try document.table(
            header: ["capability", "final model", "chance", "prior mixture (check run)", "proposed mixture (check run)"], rows: rows,
            caption: "Per-capability scores (the mean of each task's primary metric, ± a bootstrap standard error) of the final "
                + "checkpoint, against the proxy check runs on the prior and on the proposed mixture.")
        guard let prior else { return }
        document.chart(
            try BarChart(
                title: "Capabilities: final model against the prior-mixture check run", categories: capabilities,
                series: [
                    ChartSeries(name: "final model", values: capabilities.map { final["eval/\($0)/score"] ?? .nan }),
                    ChartSeries(name: "prior check run", values: capabilities.map { prior["eval/\($0)/score"] ?? .nan }),
                    ChartSeries(name: "chance", values: capabilities.map { final["eval/\($0)/chance"] ?? .nan }),
                ],
                yLabel: "score", valueDecimals: 3),
            caption: "Scores of the final model and of the proxy trained on the prior mixture, with each capability's chance level.")
    }

    /// The contamination check of the `tasks` stage: per task file, how many of its documents
    /// share an n-gram with the training shards and how much of them on average.
    func appendContamination(tasks folder: String, to document: inout ReportDocument) throws {
        let path = folder + "/" + TasksStage.contaminationFile
        guard FileManager.default.fileExists(atPath: path) else { return }
        let report = try JSONArtifact.read(ContaminationReport.self, path: path)
        document.heading("Contamination", level: 3)
        let rows = report.taskFiles.map { task in
            [
                task.name, "\(task.ngram)", "\(task.documents.count)", "\(task.documentsWithOverlap)",
                NumberFormatting.fixed(task.meanOverlap, decimals: 4), NumberFormatting.fixed(task.maxOverlap, decimals: 4),
            ]
        }
        try document.table(
            header: ["task", "n", "documents", "with overlap", "mean overlap", "largest overlap"], rows: rows,
            caption: "Each task document's token n-grams found in the training shards (\(report.trainingDocuments) documents, "
                + "\(report.trainingTokens) tokens; n by \(report.rule)): the share of a document's n-grams that occur there.")
    }
}
