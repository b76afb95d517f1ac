/// Converts HTML to readable plain text.
///
/// - Markup, comments, doctypes and processing instructions disappear; `<script>`, `<style>`,
///   `<head>`, `<nav>`, `<noscript>`, `<template>`, `<svg>`, `<button>` and `<form>` disappear with
///   their content, as does any element marked `role="navigation"`/`role="search"` or with one of
///   the classes documentation generators give their chrome (`headerlink` and `copiable-anchor`,
///   the `¶` anchors of Sphinx and Texinfo; `header`, `nav-panel`, `footer`, `sphinxsidebar`,
///   `related`), so documentation pages lose their menus.
/// - Character references are decoded (``HTMLEntities``); `&nbsp;` becomes a plain space.
/// - Block elements (`p`, headings, lists, tables, `pre`, `blockquote`, …) end paragraphs or
///   lines, `<br>` ends a line, list items get `- ` (or `1. ` inside `<ol>`), table cells are
///   separated by a space; `<pre>` keeps its white space, everything else flows.
public enum HTMLText {
    /// The plain text of an HTML document or fragment.
    public static func convert(_ html: String) -> String {
        var converter = Converter(html: Substring(html))
        converter.run()
        return converter.layout.finish()
    }

    private static let skippedElements: Set<Substring> = [
        "script", "style", "head", "nav", "noscript", "template", "svg", "button", "form", "select",
    ]
    private static let skippedClasses: Set<Substring> = [
        "headerlink", "copiable-anchor", "header", "nav-panel", "footer", "sphinxsidebar", "related",
    ]
    private static let rawTextElements: Set<Substring> = ["script", "style", "textarea", "title", "xmp"]
    private static let voidElements: Set<Substring> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    ]
    private static let paragraphElements: Set<Substring> = [
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "ul", "ol", "dl", "table", "section",
        "article", "main", "aside", "header", "footer", "figure", "address", "details", "fieldset", "hr",
    ]
    private static let lineElements: Set<Substring> = [
        "div", "li", "dt", "dd", "tr", "caption", "figcaption", "summary", "option", "legend",
    ]

    private struct OpenElement {
        let name: Substring
        let skips: Bool
        var listCounter: Int?
    }

    private struct Converter {
        let html: Substring
        var layout = TextLayout()
        var index: Substring.Index
        var stack = [OpenElement]()
        var skipping = 0
        var preformatted = 0
        var justOpenedPre = false

        init(html: Substring) {
            self.html = html
            index = html.startIndex
        }

        mutating func run() {
            while index < html.endIndex {
                guard let open = html[index...].firstIndex(of: "<") else {
                    emitText(html[index...])
                    break
                }
                emitText(html[index..<open])
                index = open
                if !consumeMarkup() {
                    emitText(html[index...index])
                    index = html.index(after: index)
                }
            }
        }

        /// Consumes a tag, comment or declaration at `index`; false when `<` is just text.
        mutating func consumeMarkup() -> Bool {
            let rest = html[index...]
            if rest.hasPrefix("<!--") {
                index = rest.range(of: "-->")?.upperBound ?? html.endIndex
                return true
            }
            if rest.hasPrefix("<![CDATA[") {
                let body = rest.dropFirst(9)
                let end = body.range(of: "]]>")
                emitText(body[..<(end?.lowerBound ?? html.endIndex)], decodeEntities: false)
                index = end?.upperBound ?? html.endIndex
                return true
            }
            if rest.hasPrefix("<!") || rest.hasPrefix("<?") {
                index = rest.firstIndex(of: ">").map(html.index(after:)) ?? html.endIndex
                return true
            }
            var cursor = html.index(after: index)
            let closing = cursor < html.endIndex && html[cursor] == "/"
            if closing { cursor = html.index(after: cursor) }
            let nameStart = cursor
            while cursor < html.endIndex, html[cursor].isLetter || html[cursor].isNumber || html[cursor] == "-" || html[cursor] == ":" {
                cursor = html.index(after: cursor)
            }
            guard cursor > nameStart, html[nameStart].isLetter else { return false }
            let name = Substring(html[nameStart..<cursor].lowercased())
            let (attributes, end) = scanAttributes(from: cursor)
            index = end
            if closing {
                close(name)
            } else {
                open(name, attributes: attributes, selfClosing: html[..<end].hasSuffix("/>"))
            }
            return true
        }

        /// Reads attributes up to the tag's `>` (quotes respected); names are lowercased.
        func scanAttributes(from start: Substring.Index) -> ([Substring: Substring], Substring.Index) {
            var attributes = [Substring: Substring]()
            var cursor = start
            func skipSpace() {
                while cursor < html.endIndex, html[cursor].isWhitespace || html[cursor] == "/" { cursor = html.index(after: cursor) }
            }
            while true {
                skipSpace()
                guard cursor < html.endIndex else { return (attributes, cursor) }
                if html[cursor] == ">" { return (attributes, html.index(after: cursor)) }
                let nameStart = cursor
                while cursor < html.endIndex, !html[cursor].isWhitespace, !"=>/".contains(html[cursor]) {
                    cursor = html.index(after: cursor)
                }
                let name = Substring(html[nameStart..<cursor].lowercased())
                while cursor < html.endIndex, html[cursor].isWhitespace { cursor = html.index(after: cursor) }
                var value: Substring = ""
                if cursor < html.endIndex, html[cursor] == "=" {
                    cursor = html.index(after: cursor)
                    while cursor < html.endIndex, html[cursor].isWhitespace { cursor = html.index(after: cursor) }
                    if cursor < html.endIndex, html[cursor] == "\"" || html[cursor] == "'" {
                        let quote = html[cursor]
                        let valueStart = html.index(after: cursor)
                        let valueEnd = html[valueStart...].firstIndex(of: quote) ?? html.endIndex
                        value = html[valueStart..<valueEnd]
                        cursor = valueEnd < html.endIndex ? html.index(after: valueEnd) : valueEnd
                    } else {
                        let valueStart = cursor
                        while cursor < html.endIndex, !html[cursor].isWhitespace, html[cursor] != ">" {
                            cursor = html.index(after: cursor)
                        }
                        value = html[valueStart..<cursor]
                    }
                }
                if !name.isEmpty { attributes[name] = value }
            }
        }

        mutating func open(_ name: Substring, attributes: [Substring: Substring], selfClosing: Bool) {
            if HTMLText.rawTextElements.contains(name) {
                skipRawText(of: name, keep: name == "textarea" || name == "xmp")
                return
            }
            blockBreak(for: name)
            if name == "br" {
                if skipping == 0 { layout.forcedNewline() }
                return
            }
            if name == "td" || name == "th" { layout.space() }
            if name == "li", skipping == 0 {
                let marker: String
                if let listIndex = stack.lastIndex(where: { $0.name == "ol" || $0.name == "ul" }),
                    let counter = stack[listIndex].listCounter
                {
                    stack[listIndex].listCounter = counter + 1
                    marker = "\(counter + 1). "
                } else {
                    marker = "- "
                }
                layout.appendVerbatim(Substring(marker))
            }
            guard !HTMLText.voidElements.contains(name), !selfClosing else { return }
            let role = attributes["role"] ?? ""
            let classes = (attributes["class"] ?? "").split(separator: " ")
            let skips =
                HTMLText.skippedElements.contains(name) || role == "navigation" || role == "search"
                || classes.contains(where: HTMLText.skippedClasses.contains)
            stack.append(OpenElement(name: name, skips: skips, listCounter: name == "ol" ? 0 : nil))
            if skips { skipping += 1 }
            if name == "pre" {
                preformatted += 1
                justOpenedPre = true
            }
        }

        mutating func close(_ name: Substring) {
            guard let position = stack.lastIndex(where: { $0.name == name }) else { return }
            for element in stack[position...].reversed() {
                if element.skips { skipping -= 1 }
                if element.name == "pre" { preformatted -= 1 }
                blockBreak(for: element.name)
            }
            stack.removeSubrange(position...)
        }

        mutating func blockBreak(for name: Substring) {
            guard skipping == 0 else { return }
            if HTMLText.paragraphElements.contains(name) {
                layout.paragraphBreak()
            } else if HTMLText.lineElements.contains(name) {
                layout.lineBreak()
            }
        }

        /// Skips (or, for `textarea`, emits) everything up to the matching end tag.
        mutating func skipRawText(of name: Substring, keep: Bool) {
            let rest = html[index...]
            var search = rest.startIndex
            while let opening = rest[search...].range(of: "</") {
                if rest[opening.upperBound...].prefix(name.count).lowercased() == name {
                    if keep { emitText(rest[..<opening.lowerBound]) }
                    index = html[opening.upperBound...].firstIndex(of: ">").map(html.index(after:)) ?? html.endIndex
                    return
                }
                search = opening.upperBound
            }
            index = html.endIndex
        }

        mutating func emitText(_ text: Substring, decodeEntities: Bool = true) {
            guard skipping == 0, !text.isEmpty else { return }
            let decoded = decodeEntities ? HTMLEntities.decode(text) : text
            if preformatted > 0 {
                var body = decoded
                if justOpenedPre, body.first == "\n" { body = body.dropFirst() }
                justOpenedPre = false
                layout.appendVerbatim(body)
            } else {
                layout.appendFlowing(decoded)
            }
        }
    }
}
