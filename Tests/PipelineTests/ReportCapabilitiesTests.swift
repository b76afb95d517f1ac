import FactoryCore
import Foundation
import Lineage
import Reports
import Testing

@testable import Evaluation
@testable import Mixing
@testable import Pipeline

/// The report's capability sections, from stage folders laid out as the swarm, mix and eval
/// stages write them.
@Suite struct ReportCapabilitiesTests {
    static func results(_ scores: [String: Double]) -> String {
        let capabilities = scores.keys.sorted().map { name in
            "{\"capability\": \"\(name)\", \"score\": \(scores[name]!), \"stderr\": 0.01, \"chance\": 0.25, \"tasks\": [], \"metrics\": {}}"
        }
        return "{\"tasks\": [], \"capabilities\": [\(capabilities.joined(separator: ", "))], \"settings\": {}}"
    }

    @Test func targetsSignalParetoFrontAndFinalModelAreReported() throws {
        let root = NSTemporaryDirectory() + "factory-reportcap-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fileManager = FileManager.default
        for folder in ["swarm", "mix/check/run-001", "mix/check/run-002", "eval"] {
            try fileManager.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: true)
        }
        // Run 3 is beaten everywhere by run 2; runs 1, 2 and 4 trade math against code.
        let metrics = NumericTable(
            columns: ["eval/code/score", "eval/loss", "eval/math/score"], index: ["1", "2", "3", "4"], hasIndexColumn: true,
            rows: [[0.9, 5, 0.1], [0.5, 5, 0.5], [0.4, 5, 0.4], [0.1, 5, 0.9]])
        let outcomes = [
            TargetOutcome(
                metric: "eval/math/score", goal: .maximize, weight: 1, margin: 0.01, scale: 0.3, predictedProposal: 0.55,
                proposalUncertainty: 0.02, predictedPrior: 0.5, floor: 0.49, measuredProposal: 0.52, measuredPrior: 0.47),
            TargetOutcome(
                metric: "eval/code/score", goal: .maximize, weight: 0, margin: 0, scale: 0.3, predictedProposal: 0.45,
                proposalUncertainty: 0.01, predictedPrior: 0.45, floor: 0.45, measuredProposal: 0.44, measuredPrior: 0.46),
        ]
        try Data(TargetOutcome.csvText(outcomes).utf8).write(to: URL(fileURLWithPath: root + "/mix/targets.csv"))
        let signal = try SignalTable.measure(
            mixtureRuns: metrics, seedRuns: metrics.selecting(["1", "2"], source: "m"), source: "signal")
        try signal.write(toPath: root + "/swarm/signal.csv")
        try Self.results(["code": 0.44, "math": 0.52]).write(toFile: root + "/mix/check/run-001/capabilities.json", atomically: true, encoding: .utf8)
        try Self.results(["code": 0.46, "math": 0.47]).write(toFile: root + "/mix/check/run-002/capabilities.json", atomically: true, encoding: .utf8)
        try Self.results(["code": 0.61, "math": 0.72]).write(toFile: root + "/eval/capabilities.json", atomically: true, encoding: .utf8)

        let report = PipelineReport(title: "t", inputs: [:], inputRuns: [:], store: try FactoryStore.open(root: root + "/store"))
        var document = ReportDocument(title: "t")
        try report.appendTargets(mix: root + "/mix", to: &document)
        try report.appendSignal(swarm: root + "/swarm", to: &document)
        try report.appendParetoFront(metrics: metrics, to: &document)
        try report.appendCapabilities(eval: root + "/eval", mix: root + "/mix", to: &document)

        let tables = document.blocks.compactMap { block -> ReportTable? in
            if case .table(let table, _) = block { return table }
            return nil
        }
        #expect(tables.count == 3)
        #expect(tables[0].rows[0] == ["eval/math/score", "1", "maximize", "0.4900", "0.5500 ± 0.0200", "0.5200", "0.5000", "0.4700"])
        #expect(tables[0].rows[1][1] == "0 (floor only)")
        #expect(tables[1].rows.map(\.first) == ["eval/loss", "eval/code/score", "eval/math/score"])
        #expect(tables[2].header == ["capability", "final model", "chance", "prior mixture (check run)", "proposed mixture (check run)"])
        #expect(
            tables[2].rows == [
                ["code", "0.6100 ± 0.0100", "0.2500", "0.4600", "0.4400"], ["math", "0.7200 ± 0.0100", "0.2500", "0.4700", "0.5200"],
            ])
        let paragraphs = document.blocks.compactMap { block -> String? in
            if case .paragraph(let text) = block { return text }
            return nil
        }
        #expect(paragraphs.contains("Proxies no other proxy beats on every capability: runs 1, 2, 4 of 4."))
        let figures = document.blocks.compactMap { block -> ReportFigure? in
            if case .figure(let figure) = block { return figure }
            return nil
        }
        #expect(figures.map(\.title).contains("code against math"))
        #expect(figures.contains { $0.title == "Capabilities: final model against the prior-mixture check run" })
        #expect(figures.contains { $0.svg.contains(">Pareto front<") && $0.svg.contains(">dominated<") })
    }
}

/// The report's contamination table, from a `tasks` stage folder's `contamination.json`.
@Suite struct ReportContaminationTests {
    @Test func contaminationTableListsEveryTaskFile() throws {
        let root = NSTemporaryDirectory() + "factory-reportcontamination-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/tasks", withIntermediateDirectories: true)
        let copied = ContaminationReport.DocumentOverlap(id: "a", tokens: 20, ngrams: 8, found: 8, overlap: 1)
        let half = ContaminationReport.DocumentOverlap(id: "b", tokens: 20, ngrams: 8, found: 4, overlap: 0.5)
        let clean = ContaminationReport.DocumentOverlap(id: "c", tokens: 20, ngrams: 8, found: 0, overlap: 0)
        let contamination = ContaminationReport(
            tasks: "tasks", shards: "shards", tokenizer: "tokenizer.json", tokenizerDigest: "d", rule: "fixed n = 13",
            trainingTokens: 1000, trainingDocuments: 10,
            taskFiles: [
                ContaminationReport.TaskOverlap(name: "copied", ngram: 13, documents: [copied, half]),
                ContaminationReport.TaskOverlap(name: "clean", ngram: 13, documents: [clean]),
            ])
        try JSONArtifact.write(contamination, toPath: root + "/tasks/" + TasksStage.contaminationFile)

        let report = PipelineReport(title: "t", inputs: [:], inputRuns: [:], store: try FactoryStore.open(root: root + "/store"))
        var document = ReportDocument(title: "t")
        try report.appendContamination(tasks: root + "/tasks", to: &document)
        try report.appendContamination(tasks: root + "/missing", to: &document)

        let tables = document.blocks.compactMap { block -> ReportTable? in
            if case .table(let table, _) = block { return table }
            return nil
        }
        #expect(tables.count == 1)
        #expect(tables.first?.rows == [["copied", "13", "2", "2", "0.7500", "1.0000"], ["clean", "13", "1", "0", "0.0000", "0.0000"]])
    }
}
