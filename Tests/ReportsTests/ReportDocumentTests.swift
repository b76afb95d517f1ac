import FactoryCore
import Foundation
import Testing

@testable import Reports

@Suite struct ReportDocumentTests {
    static let hostile = #"<script>alert("x")</script> & 'quotes' | pipes *stars* ]]>"#

    /// A report using every block and chart kind, with hostile text in every label.
    static func sampleReport() throws -> ReportDocument {
        var report = ReportDocument(title: "Report " + hostile)
        report.heading("Section " + hostile)
        report.paragraph("Paragraph " + hostile)
        report.list(["item " + hostile, "plain"])
        report.code("factory run pipeline.toml && echo '<ok>'")
        try report.table(
            header: ["name", "documents", "share"],
            rows: [[hostile, "47,210", "12.5%"], ["web", "1,204", "—"]], caption: hostile)
        report.chart(
            try BarChart(
                title: hostile, categories: ["a", hostile, "c"],
                series: [ChartSeries(name: hostile, values: [1, 2, 3]), ChartSeries(name: "b", values: [3, -1, 0])],
                arrangement: .stacked, xLabel: hostile, yLabel: hostile),
            caption: hostile)
        report.chart(try HorizontalBarChart.funnel(title: "Funnel", steps: [("input", 100), (hostile, 83), ("kept", 41)]))
        report.chart(
            LineChart(
                title: "Loss", series: [LineSeries(name: hostile, xy: [(0, 3.2), (10, 2.1), (20, 1.7)])],
                xLabel: "step", yLabel: "loss", logarithmicY: true))
        report.chart(
            ScatterPlot(
                title: "Predicted vs actual (Spearman 0.83)",
                points: [ChartPoint(x: 1, y: 1.1, label: hostile), ChartPoint(x: 2, y: 1.9)], showsDiagonal: true,
                showsLabels: true),
            markdownLink: "charts/scatter plot.svg")
        report.chart(
            try DAGDrawing(
                title: "Lineage", nodes: [DAGNode(id: "a", label: hostile, kind: hostile), DAGNode(id: "b")],
                edges: [(from: "a", to: "b")]))
        return report
    }

    @Test func htmlIsWellFormedXML() throws {
        let html = try Self.sampleReport().html()
        let check = XMLCheck()
        #expect(check.parse(html), "\(check.error ?? "")")
        #expect(check.elements.first == "html")
        #expect(check.elements.filter { $0 == "svg" }.count == 5)
        #expect(!check.elements.contains("script"))
        #expect(check.elements.contains("table") && check.elements.contains("figcaption"))
        // Every hostile label survives as text, never as markup.
        #expect(check.text.contains(Self.hostile))
        #expect(!html.contains("<script>"))
        #expect(!html.contains("http://") || !html.contains("src="))
    }

    @Test func eachChartIsWellFormedAlone() throws {
        for case .figure(let figure) in try Self.sampleReport().blocks {
            let check = XMLCheck()
            #expect(check.parse(figure.svg), "\(figure.title): \(check.error ?? "")")
            #expect(check.elements.first == "svg")
            #expect(check.attributes.first?["xmlns"] == nil || check.attributes.first?["viewBox"] != nil)
        }
    }

    @Test func renderingIsDeterministic() throws {
        #expect(try Self.sampleReport().html() == Self.sampleReport().html())
        #expect(try Self.sampleReport().markdown() == Self.sampleReport().markdown())
    }

    @Test func numericColumnsAreRightAligned() throws {
        let table = try ReportTable(
            header: ["source", "docs", "share", "time", "size", "note"],
            rows: [
                ["wiki", "47,210", "12.5%", "1:02:03", "3.2 MiB", "1 of 2"],
                ["web", "-3.5e-2", "—", "0.4 s", "512 B", "ok"],
            ])
        #expect(table.alignments == [.left, .right, .right, .right, .right, .left])
        let html = HTMLReportRenderer.render(ReportDocument(title: "t", blocks: [.table(table, caption: "")]))
        #expect(html.contains(#"<td class="num">47,210</td>"#))
        #expect(html.contains("<td>wiki</td>"))
    }

    @Test func markdownTablesAreGFM() throws {
        let table = try ReportTable(header: ["name", "count"], rows: [["a|b", "1,204"], ["line\nbreak", "7"]])
        #expect(
            MarkdownReportRenderer.render(table) == """
                | name | count |
                | --- | ---: |
                | a\\|b | 1,204 |
                | line break | 7 |
                """)
    }

    @Test func writingMarkdownPutsEachChartInAnSVGFileNextToIt() throws {
        let folder = NSTemporaryDirectory() + "report-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var report = ReportDocument(title: "Charts")
        let first = try BarChart(title: "Kept", categories: ["a", "b"], series: [ChartSeries(name: "kept", values: [1, 2])])
        report.chart(first, caption: "Documents kept.")
        report.chart(LineChart(title: "Loss", series: [LineSeries(name: "train", xy: [(0, 2), (1, 1)])]))
        try report.write(htmlPath: nil, markdownPath: folder + "/run.md")
        let markdown = try String(contentsOfFile: folder + "/run.md", encoding: .utf8)
        #expect(markdown.contains("![Kept](run-chart-1.svg)\n\n*Documents kept.*"))
        #expect(markdown.contains("![Loss](run-chart-2.svg)"))
        #expect(try String(contentsOfFile: folder + "/run-chart-1.svg", encoding: .utf8) == first.svg())
        #expect(FileManager.default.fileExists(atPath: folder + "/run-chart-2.svg"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/run-chart-3.svg"))
    }

    @Test func markdownEscapesTextAndMentionsCharts() throws {
        let markdown = try Self.sampleReport().markdown()
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == #"# Report \<script\>alert("x")\</script\> & 'quotes' \| pipes \*stars\* \]\]\>"#)
        #expect(lines.contains("## Section " + MarkdownReportRenderer.escape(Self.hostile)))
        #expect(lines.contains("*Chart: Loss (see the HTML version of this report).*"))
        #expect(lines.contains("![Predicted vs actual (Spearman 0.83)](charts/scatter%20plot.svg)"))
        #expect(lines.contains("```") && lines.contains("factory run pipeline.toml && echo '<ok>'"))
        #expect(!markdown.contains("<svg"))
        // Table rows keep their column count despite the pipes in the hostile cell.
        let rows = lines.filter { $0.hasPrefix("| ") }
        for row in rows {
            #expect(row.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count == 4)
        }
    }

    @Test func rejectsRaggedTables() {
        #expect(throws: FactoryError.invalidArgument(name: "table row 2", message: "has 1 cells for 2 columns")) {
            try ReportTable(header: ["a", "b"], rows: [["1", "2"], ["3"]])
        }
        #expect {
            try BarChart(title: "", categories: ["a", "b"], series: [ChartSeries(name: "s", values: [1])])
        } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "series 's'" && message.contains("has 1 values for 2 categories")
        }
        #expect {
            try HorizontalBarChart(title: "", rows: ["a"], series: [ChartSeries(name: "s", values: [-1])])
        } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "series 's'" && message.contains("value for row 'a' is -1.0")
        }
    }
}
