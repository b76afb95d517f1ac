import Corpus
import FactoryCore
import Reports

extension PipelineReport {
    /// The lineage graph from the raw sources through every stage to this report's inputs.
    func appendLineage(_ stages: PipelineStageHistory, to document: inout ReportDocument) throws {
        document.heading("Lineage")
        var nodes = stages.runs.map { run in
            DAGNode(id: run.id, label: PipelineStageHistory.stageName(run), kind: "stage")
        }
        var edges = stages.links.map { (from: $0.from, to: $0.to) }
        if let corpusRun = stages.runs.first(where: { PipelineStageHistory.stageName($0) == "corpus" }),
            let corpus = inputs["corpus"], let manifest = try? JSONArtifact.read(CorpusManifest.self, path: corpus + "/manifest.json")
        {
            for source in manifest.sources {
                nodes.append(DAGNode(id: "source:\(source.name)", label: "\(source.name) (\(source.license))", kind: "source"))
                edges.append((from: "source:\(source.name)", to: corpusRun.id))
            }
        }
        guard !nodes.isEmpty else { return }
        nodes.append(DAGNode(id: "report", label: "report", kind: "report"))
        for run in inputRuns.values.sorted() { edges.append((from: run, to: "report")) }
        document.chart(
            try DAGDrawing(title: "From raw sources to the final checkpoint", nodes: nodes, edges: edges),
            caption: "Sources (with licenses) and pipeline stages; each arrow is an artifact recorded in the lineage store. "
                + "factory lineage DIGEST --upstream walks the same graph down to single files.")
    }
}
