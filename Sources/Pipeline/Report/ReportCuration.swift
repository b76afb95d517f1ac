import Curation
import FactoryCore
import Reports

extension PipelineReport {
    /// The curation funnel by quality bucket: the curate stage's `curation.json` rendered as in
    /// `factory curate report`, as one section of this report.
    func appendCuration(_ folder: String, to document: inout ReportDocument) throws {
        let report = try JSONArtifact.read(CurationReport.self, path: folder + "/" + CorpusFolderCuration.reportFile)
        document.heading("Curation")
        for block in try CurationReportDocument.make(report).blocks {
            if case .heading(let text, let level) = block {
                document.blocks.append(.heading(text, level: level + 1))
            } else {
                document.blocks.append(block)
            }
        }
    }
}
