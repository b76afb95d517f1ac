/// Renders a ``ReportDocument`` as GitHub-flavoured Markdown: tables as GFM tables (numeric
/// columns right-aligned), charts as image links or a note pointing to the HTML version.
///
/// Text is plain: Markdown punctuation in it is backslash-escaped so it shows literally.
public enum MarkdownReportRenderer {
    /// The Markdown for `document`.
    public static func render(_ document: ReportDocument) -> String {
        var parts = ["# " + escape(document.title)]
        for block in document.blocks {
            switch block {
            case .heading(let text, let level):
                parts.append(String(repeating: "#", count: level) + " " + escape(text))
            case .paragraph(let text):
                parts.append(escape(text))
            case .list(let items):
                parts.append(items.map { "- " + escape($0) }.joined(separator: "\n"))
            case .code(let text):
                var fence = "```"
                while text.contains(fence) { fence += "`" }
                parts.append(fence + "\n" + text + "\n" + fence)
            case .table(let table, let caption):
                parts.append((caption.isEmpty ? "" : "**" + escape(caption) + "**\n\n") + render(table))
            case .figure(let figure):
                let text = figure.caption.isEmpty ? figure.title : figure.title + " — " + figure.caption
                if let link = figure.markdownLink {
                    parts.append(
                        "![\(escape(figure.title))](\(link.replacingSpaces))" + (figure.caption.isEmpty ? "" : "\n\n*\(escape(figure.caption))*"))
                } else {
                    parts.append("*Chart: \(escape(text)) (see the HTML version of this report).*")
                }
            }
        }
        return parts.joined(separator: "\n\n") + "\n"
    }

    /// A GFM table: header, alignment row (`---` or `---:`), one line per row; `|` in cells escaped
    /// and line breaks turned into spaces.
    public static func render(_ table: ReportTable) -> String {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { escape($0.replacingLineBreaks) }.joined(separator: " | ") + " |"
        }
        let rule = "|" + table.alignments.map { $0 == .right ? " ---: |" : " --- |" }.joined()
        return ([line(table.header), rule] + table.rows.map(line)).joined(separator: "\n")
    }

    /// `text` with the characters Markdown would interpret (emphasis, code, links, raw HTML, table
    /// pipes, the backslash itself) backslash-escaped.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if "\\`*_[]<>|#".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}

extension String {
    fileprivate var replacingLineBreaks: String {
        String(map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 })
    }

    fileprivate var replacingSpaces: String {
        split(separator: " ", omittingEmptySubsequences: false).joined(separator: "%20")
    }
}
