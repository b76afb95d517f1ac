import FactoryCore
import Lineage

/// `kind = "report"`: the run report, `report.html` (one self-contained page with SVG charts)
/// and `report.md`, from whichever of these inputs are wired: `corpus`, `curate`, `shards`,
/// `swarm` with `mix`, `train`, `eval`. Setting: `title` (optional).
struct ReportStage: DecodedSettingsStageKind {
    struct Settings: Decodable {
        var title: String?
    }

    let name = "report"
    let inputRoles = StageInputRoles(required: [], optional: ["corpus", "curate", "shards", "tasks", "swarm", "mix", "train", "eval"])

    func execute(_ context: StageContext) throws {
        let settings = try context.settings(for: self)
        let report = PipelineReport(
            title: settings.title ?? "Model Factory run report", inputs: context.inputs, inputRuns: context.inputRuns,
            store: try FactoryStore.open(root: context.store))
        let document = try report.document()
        try document.write(htmlPath: context.output + "/report.html", markdownPath: context.output + "/report.md")
        context.log.note("report: \(context.output)/report.html and report.md")
    }
}
