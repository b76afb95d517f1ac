import Foundation

extension ReportFigure {
    /// `figure` with its Markdown link set to `markdownLink`.
    init(_ figure: ReportFigure, markdownLink: String) {
        title = figure.title
        svg = figure.svg
        caption = figure.caption
        self.markdownLink = markdownLink
    }
}

extension ReportDocument {
    /// The document with every chart that has no Markdown link linked to an SVG file named
    /// `<stem>-chart-<n>.svg` (n counting from 1 in reading order), and those files' names and
    /// contents, so that the Markdown rendering shows the charts as images next to it.
    public func linkingCharts(stem: String) -> (document: ReportDocument, files: [(name: String, svg: String)]) {
        var files = [(name: String, svg: String)]()
        var linked = self
        linked.blocks = blocks.map { block in
            guard case .figure(let figure) = block, figure.markdownLink == nil else { return block }
            let name = "\(stem)-chart-\(files.count + 1).svg"
            files.append((name, figure.svg))
            return .figure(ReportFigure(figure, markdownLink: name))
        }
        return (linked, files)
    }
}
