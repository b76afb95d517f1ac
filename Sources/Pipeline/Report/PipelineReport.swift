import FactoryCore
import Foundation
import Lineage
import Reports

/// The run report of a pipeline: what went in, what each stage did, and what came out.
///
/// Each section reads the output folder of one input stage (or the lineage store) and is left
/// out when that input is not wired, so a partial pipeline still gets a report.
struct PipelineReport {
    /// The page title.
    let title: String
    /// Output folders by role (`corpus`, `curate`, `shards`, `swarm`, `mix`, `train`, `eval`).
    let inputs: [String: String]
    /// The pipeline-stage run of each input, by role.
    let inputRuns: [String: String]
    /// The lineage store the pipeline records into.
    let store: FactoryStore

    /// The whole report.
    func document() throws -> ReportDocument {
        var document = ReportDocument(title: title)
        let stages = try PipelineStageHistory(store: store, finalRuns: Array(inputRuns.values))
        document.paragraph(
            "Every number below is read from the stage outputs and the lineage store (\(store.root)); "
                + "the stages' settings, inputs and code (the digest of the factory executable) are recorded with each run.")
        try appendStages(stages, to: &document)
        if let corpus = inputs["corpus"] { try appendProvenance(corpus: corpus, curated: inputs["curate"], shards: inputs["shards"], to: &document) }
        if let curate = inputs["curate"] { try appendCuration(curate, to: &document) }
        if let swarm = inputs["swarm"], let mix = inputs["mix"] { try appendMixture(swarm: swarm, mix: mix, to: &document) }
        if let train = inputs["train"] { try appendTraining(train, to: &document) }
        if let eval = inputs["eval"] {
            try appendEvaluation(eval, to: &document)
            try appendCapabilities(eval: eval, mix: inputs["mix"], to: &document)
        }
        if let tasks = inputs["tasks"] { try appendContamination(tasks: tasks, to: &document) }
        try appendLineage(stages, to: &document)
        return document
    }

    /// The stage table: what ran, when, for how long.
    private func appendStages(_ stages: PipelineStageHistory, to document: inout ReportDocument) throws {
        document.heading("Stages")
        let rows = stages.runs.map { run -> [String] in
            let seconds = run.endedAt.map { $0.timeIntervalSince(run.startedAt) } ?? 0
            let identity = PipelineRunner.identity(of: run)
            return [
                run.name, identity?.kind ?? "", run.id, NumberFormatting.duration(seconds),
                identity?.code.map { String($0.hex.prefix(12)) } ?? "-", run.provenance.gitCommit.map { String($0.prefix(12)) } ?? "-",
            ]
        }
        try document.table(
            header: ["stage", "kind", "run", "time", "code", "commit"], rows: rows,
            caption: "The pipeline-stage runs behind this report (each stage's last finished run with its identity).")
    }

}
