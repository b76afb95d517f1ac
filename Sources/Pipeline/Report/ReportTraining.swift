import Evaluation
import FactoryCore
import Foundation
import Lineage
import Reports
import Training

extension PipelineReport {
    /// The final run: its settings, training and per-domain validation curves, and integrity
    /// events (faults detected, rollbacks).
    func appendTraining(_ folder: String, to document: inout ReportDocument) throws {
        document.heading("Final training run")
        let config = try ConfigLoader.decode(TrainingRunConfig.self, tomlFile: folder + "/run.toml")
        let replicas = config.train.replicas
        let sequences = config.train.batch * config.train.accumulation
        let tokens = config.train.steps * sequences * config.train.sequenceLength
        var summary =
            "Model \(config.model.preset ?? config.model.config ?? "?"), optimizer \(config.optimizer.name) at lr "
            + "\(config.optimizer.lr), \(config.schedule.kind) schedule, \(NumberFormatting.grouped(config.train.steps)) steps of "
            + "\(sequences) × \(config.train.sequenceLength) tokens (\(NumberFormatting.grouped(tokens)) tokens)"
            + (replicas > 1 ? " on \(replicas) data-parallel replicas, weight hashes compared every \(config.train.checkEvery) steps." : ".")
        if let mixture = config.data.mixture {
            summary +=
                " Mixture: "
                + mixture.keys.sorted().map {
                    "\($0) \(NumberFormatting.fixed(mixture[$0]!, decimals: 3)) (\(NumberFormatting.grouped(Int((mixture[$0]! * Double(tokens)).rounded()))) tokens)"
                }.joined(separator: ", ") + "."
        }
        document.paragraph(summary)
        guard let run = try trainingRun(checkpoint: folder + "/run/final") else {
            document.paragraph("The training run's records were not found in the lineage store.")
            return
        }
        document.paragraph("Lineage run \(run.id); factory runs show \(run.id) lists its metrics and events.")
        let loss = try store.records.metricSeries(run: run.id, key: "train/loss")
        if !loss.isEmpty {
            document.chart(
                LineChart(
                    title: "Training loss", series: [LineSeries(name: "train/loss", xy: loss.map { (Double($0.step), $0.value) })],
                    xLabel: "step", yLabel: "loss"),
                caption: "Mean cross-entropy of each logged step.")
        }
        let keys = try store.records.finalMetrics(run: run.id).map(\.key)
            .filter { $0.hasPrefix("eval/") && $0.hasSuffix("/loss") && $0 != "eval/loss" }.sorted()
        let curves = try keys.map { key in
            LineSeries(
                name: String(key.dropFirst("eval/".count).dropLast("/loss".count)),
                xy: try store.records.metricSeries(run: run.id, key: key).map { (Double($0.step), $0.value) })
        }
        if !curves.isEmpty {
            document.chart(
                LineChart(title: "Validation loss per domain", series: curves, xLabel: "step", yLabel: "loss"),
                caption: "Held-out loss on each domain's validation shards during training.")
        }
        let events = try store.records.events(ofRun: run.id)
        document.heading("Integrity", level: 3)
        if events.isEmpty {
            document.paragraph("No integrity events: every weight-hash check agreed.")
        } else {
            try document.table(
                header: ["step", "event", "message"],
                rows: events.map { [$0.step.map(String.init) ?? "-", $0.kind.rawValue, $0.message] },
                caption: "Events recorded by the run (faults detected by the weight-hash checks, rollbacks).")
        }
    }

    /// The `train` run that wrote the checkpoint folder.
    private func trainingRun(checkpoint: String) throws -> RunRecord? {
        guard let manifest = try? FolderDigest.manifest(of: checkpoint) else { return nil }
        return try store.records.runs(producing: manifest.digest).last { $0.kind == "train" }
    }

    /// The final evaluation per domain.
    func appendEvaluation(_ folder: String, to document: inout ReportDocument) throws {
        document.heading("Evaluation")
        let path = folder + "/" + EvalStage.resultsFile
        guard let data = FileManager.default.contents(atPath: path) else { throw FactoryError.fileNotFound(path: path) }
        let results = try EvaluationResults(value: try ConfigValue.parseJSON(Array(data), source: path), source: path)
        let rows = results.domains.keys.sorted().map { domain in
            let result = results.domains[domain]!
            return [
                domain, NumberFormatting.fixed(result.loss, decimals: 4), NumberFormatting.fixed(result.bitsPerByte, decimals: 4),
                NumberFormatting.grouped(result.tokens),
            ]
        }
        try document.table(
            header: ["domain", "loss", "bits per byte", "tokens"], rows: rows,
            caption: "The final checkpoint on each domain's held-out shards (factory eval).")
    }
}
