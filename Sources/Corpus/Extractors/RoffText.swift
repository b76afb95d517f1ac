import Foundation

/// Converts roff manual pages (the `man` macros, with basic `mdoc` and `tbl` support) to plain
/// text without running `groff`.
///
/// Requests and macros that only affect layout are dropped; headings, paragraphs, tagged
/// paragraphs, no-fill blocks (`.nf`, `.EX`) and tables keep their shape; font changes disappear;
/// escapes for special characters (`\(em`, `\[bu]`, `\*(lq`, `\N'65'`) become their characters;
/// macro definitions (`.de`…`..`), ignored blocks (`.ig`) and conditionals are skipped. A page that
/// is only a `.so` link converts to empty text.
public enum RoffText {
    /// The plain text of a roff source.
    public static func convert(_ source: String) -> String {
        var converter = Converter()
        var pending = ""
        for rawLine in source.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = Substring(rawLine)
            if line.last == "\r" { line = line.dropLast() }
            if endsWithContinuation(line) {
                pending += line.dropLast()
                continue
            }
            if !pending.isEmpty {
                converter.process(Substring(pending + line))
                pending = ""
            } else {
                converter.process(line)
            }
        }
        if !pending.isEmpty { converter.process(Substring(pending)) }
        return converter.layout.finish()
    }

    /// A line ends in an escaped newline when it ends in an odd number of backslashes.
    private static func endsWithContinuation(_ line: Substring) -> Bool {
        line.reversed().prefix { $0 == "\\" }.count % 2 == 1
    }

    private enum TableState { case options, format, rows }

    private struct Converter {
        var layout = TextLayout()
        var fill = true
        var skipUntil: Substring?
        var table: TableState?
        var headingPending = false
        var tagPending = false
        var linkTarget: String?

        mutating func process(_ line: Substring) {
            if let terminator = skipUntil {
                if line.trimmingTrailingSpaces == terminator { skipUntil = nil }
                return
            }
            if let state = table {
                processTable(line, state: state)
                return
            }
            if let first = line.first, first == "." || first == "'" {
                processRequest(line.dropFirst())
            } else {
                processText(line)
            }
        }

        mutating func processText(_ line: Substring) {
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) {
                if fill { layout.paragraphBreak() } else { layout.appendVerbatim("\n") }
                return
            }
            let text = RoffEscapes.render(line)
            if !fill {
                layout.appendVerbatim(Substring(text + "\n"))
                return
            }
            if line.first == " " || line.first == "\t" { layout.lineBreak() }
            layout.appendFlowing(Substring(text))
            layout.space()
            finishPendingLine()
        }

        /// After a heading or a tagged paragraph's tag, the body starts on a new line.
        mutating func finishPendingLine() {
            if headingPending || tagPending {
                layout.lineBreak()
                headingPending = false
                tagPending = false
            }
        }

        mutating func processRequest(_ body: Substring) {
            let trimmed = body.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.hasPrefix("\\\"") || trimmed.hasPrefix("\\#") { return }
            let nameEnd = trimmed.firstIndex { $0 == " " || $0 == "\t" } ?? trimmed.endIndex
            let name = trimmed[..<nameEnd]
            let arguments = RoffArguments.split(trimmed[nameEnd...])
            func flow(_ text: String) {
                guard !text.isEmpty else { return }
                if fill {
                    layout.appendFlowing(Substring(text))
                    layout.space()
                    finishPendingLine()
                } else {
                    layout.appendVerbatim(Substring(text + "\n"))
                }
            }
            let rendered = arguments.map { RoffEscapes.render($0) }
            switch name {
            case "TH", "Dt":
                if let title = rendered.first {
                    flow(rendered.count > 1 ? "\(title)(\(rendered[1]))" : title)
                }
                layout.paragraphBreak()
            case "SH", "SS", "Sh", "Ss":
                layout.paragraphBreak()
                if rendered.isEmpty {
                    headingPending = true
                } else {
                    flow(rendered.joined(separator: " "))
                    layout.lineBreak()
                }
            case "PP", "LP", "P", "HP", "Pp", "Lp":
                layout.paragraphBreak()
            case "TP", "TQ":
                layout.paragraphBreak()
                tagPending = true
            case "IP":
                layout.paragraphBreak()
                if let tag = rendered.first, !tag.isEmpty {
                    layout.appendFlowing(Substring(tag))
                    if tag.count <= 3 { layout.space() } else { layout.lineBreak() }
                }
            case "It":
                layout.lineBreak()
                flow(rendered.joined(separator: " "))
            case "br":
                layout.lineBreak()
            case "sp", "PD":
                if name == "sp" { if fill { layout.paragraphBreak() } else { layout.appendVerbatim("\n") } }
            case "nf", "EX", "Bd":
                layout.lineBreak()
                fill = false
            case "fi", "EE", "Ed":
                layout.lineBreak()
                fill = true
            case "B", "I", "SM", "SB", "Nm", "Nd", "Em", "Sy", "Pa", "Li", "Cm", "Ar", "Va", "Dv", "Er", "Ev", "Ft", "Fa", "Ql", "Dq", "Sq", "Ad",
                "An", "Ic":
                flow(rendered.joined(separator: " "))
            case "BR", "BI", "IB", "IR", "RI", "RB":
                flow(rendered.joined())
            case "OP", "Op":
                flow("[" + rendered.joined(separator: " ") + "]")
            case "Fl":
                flow(rendered.map { "-" + $0 }.joined(separator: " "))
            case "Xr":
                flow(rendered.count > 1 ? "\(rendered[0])(\(rendered[1]))" + rendered.dropFirst(2).joined() : rendered.joined())
            case "UR", "MT":
                linkTarget = rendered.first
            case "UE", "ME":
                if let target = linkTarget { flow("<\(target)>" + rendered.joined()) }
                linkTarget = nil
            case "TS":
                layout.paragraphBreak()
                table = .options
            case "de", "de1", "am", "ig":
                let terminator = name == "ig" ? arguments.first : arguments.dropFirst().first
                skipUntil = terminator.map { Substring("." + $0) } ?? ".."
            default:
                return
            }
        }

        mutating func processTable(_ line: Substring, state: TableState) {
            let trimmed = line.trimmingTrailingSpaces
            switch state {
            case .options:
                if trimmed.hasSuffix(";") {
                    table = .format
                    return
                }
                table = .format
                processTable(line, state: .format)
            case .format:
                if trimmed.hasSuffix(".") { table = .rows }
            case .rows:
                if trimmed.hasPrefix(".TE") {
                    table = nil
                    layout.paragraphBreak()
                    return
                }
                if trimmed.hasPrefix(".T&") {
                    table = .format
                    return
                }
                if trimmed.hasPrefix(".") || trimmed.hasPrefix("'") || trimmed == "_" || trimmed == "=" { return }
                let cells = trimmed.split(separator: "\t", omittingEmptySubsequences: false).map { cell -> String in
                    let stripped = cell.replacingOccurrences(of: "T{", with: "").replacingOccurrences(of: "T}", with: "")
                    return RoffEscapes.render(Substring(stripped)).trimmingCharacters(in: .whitespaces)
                }
                let row = cells.filter { !$0.isEmpty }.joined(separator: "  ")
                if !row.isEmpty { layout.appendVerbatim(Substring(row + "\n")) }
            }
        }
    }
}

extension Substring {
    /// The text without trailing spaces and tabs.
    fileprivate var trimmingTrailingSpaces: Substring {
        var text = self
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}
