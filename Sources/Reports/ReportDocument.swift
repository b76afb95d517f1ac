import FactoryCore
import Foundation

/// One part of a report, in reading order.
public enum ReportBlock: Sendable {
    /// A section heading; `level` 2 is a section, 3 a subsection, … (level 1 is the document title).
    case heading(String, level: Int)
    /// A paragraph of plain text (escaped in both renderings).
    case paragraph(String)
    /// A bulleted list of plain-text items.
    case list([String])
    /// Preformatted text (a command, a config), shown in a monospace block.
    case code(String)
    /// A table.
    case table(ReportTable, caption: String)
    /// A chart with its caption.
    case figure(ReportFigure)
}

/// A rendered chart in a report.
public struct ReportFigure: Sendable {
    /// The chart's title (its text stand-in in Markdown).
    public let title: String
    /// The `<svg>` markup.
    public let svg: String
    /// Text under the chart (empty for none).
    public let caption: String
    /// Where the Markdown version links the chart image (an SVG file next to it); `nil` to mention
    /// the chart in a note instead.
    public let markdownLink: String?

    /// A figure of `chart`.
    public init(_ chart: some SVGChart, caption: String = "", markdownLink: String? = nil) {
        title = chart.title
        svg = chart.svg()
        self.caption = caption
        self.markdownLink = markdownLink
    }
}

/// A report built once and rendered both as one self-contained HTML page (inline CSS and SVG, no
/// script, no external assets; well-formed XHTML) and as GitHub-flavoured Markdown.
///
/// ```swift
/// var report = ReportDocument(title: "Curation report")
/// report.heading("Deduplication")
/// report.paragraph("Exact and MinHash dedup over 47,210 documents.")
/// try report.table(header: ["source", "removed"], rows: [["wiki", "1,204"]])
/// report.chart(try BarChart(title: "Removed by bucket", categories: buckets, series: [removed]))
/// try report.write(htmlPath: "report.html", markdownPath: "report.md")
/// ```
public struct ReportDocument: Sendable {
    /// The document title (the HTML `<title>` and top heading).
    public var title: String
    /// The content, in order.
    public var blocks: [ReportBlock]

    /// An empty report called `title`.
    public init(title: String, blocks: [ReportBlock] = []) {
        self.title = title
        self.blocks = blocks
    }

    /// Appends a heading (`level` clamped to 2…6).
    public mutating func heading(_ text: String, level: Int = 2) {
        blocks.append(.heading(text, level: min(max(level, 2), 6)))
    }

    /// Appends a paragraph.
    public mutating func paragraph(_ text: String) {
        blocks.append(.paragraph(text))
    }

    /// Appends a bulleted list.
    public mutating func list(_ items: [String]) {
        blocks.append(.list(items))
    }

    /// Appends preformatted text.
    public mutating func code(_ text: String) {
        blocks.append(.code(text))
    }

    /// Appends `table` with an optional caption.
    public mutating func table(_ table: ReportTable, caption: String = "") {
        blocks.append(.table(table, caption: caption))
    }

    /// Appends a table of `rows` under `header`, numeric columns right-aligned.
    ///
    /// - Throws: ``FactoryError/invalidArgument(name:message:)`` when a row's width differs from the header's.
    public mutating func table(header: [String], rows: [[String]], caption: String = "") throws {
        table(try ReportTable(header: header, rows: rows), caption: caption)
    }

    /// Appends `chart`; Markdown shows it as an image link to `markdownLink`, or as a note.
    public mutating func chart(_ chart: some SVGChart, caption: String = "", markdownLink: String? = nil) {
        blocks.append(.figure(ReportFigure(chart, caption: caption, markdownLink: markdownLink)))
    }

    /// The HTML page (see ``HTMLReportRenderer``).
    public func html() -> String {
        HTMLReportRenderer.render(self)
    }

    /// The Markdown text (see ``MarkdownReportRenderer``).
    public func markdown() -> String {
        MarkdownReportRenderer.render(self)
    }

    /// Writes the HTML and/or Markdown renderings atomically (temporary file, then rename). Next
    /// to the Markdown file `NAME.md`, each chart without a link of its own is written as
    /// `NAME-chart-<n>.svg` and shown as an image (see ``linkingCharts(stem:)``).
    public func write(htmlPath: String?, markdownPath: String?) throws {
        if let htmlPath { try AtomicFile.write(Array(html().utf8), toPath: htmlPath) }
        if let markdownPath {
            let url = URL(fileURLWithPath: markdownPath)
            let (linked, files) = linkingCharts(stem: url.deletingPathExtension().lastPathComponent)
            let folder = url.deletingLastPathComponent().path
            for file in files { try AtomicFile.write(Array(file.svg.utf8), toPath: folder + "/" + file.name) }
            try AtomicFile.write(Array(linked.markdown().utf8), toPath: markdownPath)
        }
    }
}
