import ArgumentParser
import Curation
import FactoryCore
import Reports

/// `factory curate report`: renders a `curation.json` as Markdown and as one self-contained HTML
/// page with SVG charts.
struct CurateReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render curation.json as Markdown and/or a self-contained HTML page with SVG charts.")

    @Argument(help: "The curation.json written by `factory curate run`.")
    var report: String

    @Option(help: "The Markdown file to write.")
    var markdown: String?

    @Option(help: "The HTML file to write.")
    var html: String?

    func validate() throws {
        guard markdown != nil || html != nil else { throw ValidationError("give --markdown, --html or both") }
    }

    func run() throws {
        let document = try CurationReportDocument.make(try CurationReport.read(path: report))
        try document.write(htmlPath: html, markdownPath: markdown)
        for path in [markdown, html].compactMap({ $0 }) { print("wrote \(path)") }
    }
}
