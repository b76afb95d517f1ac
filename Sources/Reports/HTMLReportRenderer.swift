/// Renders a ``ReportDocument`` as one self-contained HTML page: XHTML syntax (so any XML parser
/// reads it), a small inline stylesheet, charts as inline SVG, no script and no external assets.
public enum HTMLReportRenderer {
    /// The page's stylesheet (no `<` or `&`, so it needs no escaping inside `<style>`).
    public static let stylesheet = """
        body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #222;
          max-width: 1040px; margin: 2em auto; padding: 0 1em; line-height: 1.45; }
        h1 { font-size: 1.7em; border-bottom: 2px solid #4e79a7; padding-bottom: 0.2em; }
        h2 { font-size: 1.35em; margin-top: 1.8em; border-bottom: 1px solid #ddd; padding-bottom: 0.15em; }
        h3 { font-size: 1.1em; margin-top: 1.4em; }
        table { border-collapse: collapse; margin: 0.8em 0 1.2em; font-size: 0.92em; }
        caption { caption-side: top; text-align: left; font-weight: bold; padding-bottom: 0.3em; }
        th, td { border: 1px solid #d0d0d0; padding: 0.25em 0.6em; vertical-align: top; }
        th { background: #f2f4f7; text-align: left; }
        tbody tr:nth-child(even) { background: #fafafa; }
        .num { text-align: right; font-variant-numeric: tabular-nums; }
        figure { margin: 1em 0 1.6em; }
        figure svg { max-width: 100%; height: auto; }
        figcaption { color: #555; font-size: 0.9em; margin-top: 0.3em; }
        pre { background: #f6f8fa; border: 1px solid #e1e4e8; padding: 0.7em; overflow-x: auto; font-size: 0.88em; }
        """

    /// The page for `document`.
    public static func render(_ document: ReportDocument) -> String {
        var lines = [
            "<!DOCTYPE html>",
            "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">",
            "<head>",
            "<meta charset=\"utf-8\"/>",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>",
            "<title>\(escape(document.title))</title>",
            "<style>", stylesheet, "</style>",
            "</head>",
            "<body>",
            "<h1>\(escape(document.title))</h1>",
        ]
        for block in document.blocks {
            switch block {
            case .heading(let text, let level):
                lines.append("<h\(level)>\(escape(text))</h\(level)>")
            case .paragraph(let text):
                lines.append("<p>\(escape(text))</p>")
            case .list(let items):
                lines.append("<ul>")
                lines += items.map { "<li>\(escape($0))</li>" }
                lines.append("</ul>")
            case .code(let text):
                lines.append("<pre><code>\(escape(text))</code></pre>")
            case .table(let table, let caption):
                lines += render(table, caption: caption)
            case .figure(let figure):
                lines.append("<figure>")
                lines.append(figure.svg)
                if !figure.caption.isEmpty { lines.append("<figcaption>\(escape(figure.caption))</figcaption>") }
                lines.append("</figure>")
            }
        }
        lines += ["</body>", "</html>", ""]
        return lines.joined(separator: "\n")
    }

    private static func render(_ table: ReportTable, caption: String) -> [String] {
        func cell(_ tag: String, _ text: String, _ column: Int) -> String {
            let attribute = table.alignments[column] == .right ? " class=\"num\"" : ""
            return "<\(tag)\(attribute)>\(escape(text))</\(tag)>"
        }
        var lines = ["<table>"]
        if !caption.isEmpty { lines.append("<caption>\(escape(caption))</caption>") }
        lines.append("<thead><tr>" + table.header.enumerated().map { cell("th", $0.element, $0.offset) }.joined() + "</tr></thead>")
        lines.append("<tbody>")
        for row in table.rows {
            lines.append("<tr>" + row.enumerated().map { cell("td", $0.element, $0.offset) }.joined() + "</tr>")
        }
        lines += ["</tbody>", "</table>"]
        return lines
    }

    private static func escape(_ text: String) -> String {
        HTMLEscaping.escape(text)
    }
}
