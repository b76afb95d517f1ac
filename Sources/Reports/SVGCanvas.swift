import Foundation

/// An SVG document under construction: shapes and text appended in drawing order, written with
/// fixed number formatting (at most two decimals, no trailing zeros) so equal input gives equal bytes.
///
/// Text is escaped; shapes may carry a `<title>` child, which browsers show as a tooltip (no script).
struct SVGCanvas {
    /// The text attributes shared by every chart.
    static let fontFamily = "system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"
    /// Neutral ink for axes and labels.
    static let ink = "#333333"
    /// Light lines behind the data.
    static let grid = "#e5e5e5"

    let width: Double
    let height: Double
    private var elements: [String] = []

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// A coordinate or length as SVG text: rounded to two decimals, trailing zeros dropped.
    static func number(_ value: Double) -> String {
        NumberFormatting.trimmed(value, decimals: 2)
    }

    /// The approximate width in pixels of `text` at `fontSize` (average glyph width 0.6 em).
    static func textWidth(_ text: String, fontSize: Double) -> Double {
        Double(text.count) * fontSize * 0.6
    }

    /// `text` cut to `limit` characters with an ellipsis.
    static func truncated(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(max(limit - 1, 1))) + "…"
    }

    mutating func rect(
        x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil,
        cornerRadius: Double = 0, tooltip: String? = nil
    ) {
        var attributes = [
            ("x", Self.number(x)), ("y", Self.number(y)), ("width", Self.number(max(width, 0))),
            ("height", Self.number(max(height, 0))), ("fill", fill),
        ]
        if let stroke { attributes.append(("stroke", stroke)) }
        if cornerRadius > 0 { attributes.append(("rx", Self.number(cornerRadius))) }
        element("rect", attributes, tooltip: tooltip)
    }

    mutating func line(
        x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, strokeWidth: Double = 1,
        dashed: Bool = false
    ) {
        var attributes = [
            ("x1", Self.number(x1)), ("y1", Self.number(y1)), ("x2", Self.number(x2)), ("y2", Self.number(y2)),
            ("stroke", stroke), ("stroke-width", Self.number(strokeWidth)),
        ]
        if dashed { attributes.append(("stroke-dasharray", "4 3")) }
        element("line", attributes)
    }

    mutating func polyline(_ points: [(x: Double, y: Double)], stroke: String, strokeWidth: Double = 2) {
        guard points.count > 1 else { return }
        element(
            "polyline",
            [
                ("points", Self.pointList(points)), ("fill", "none"), ("stroke", stroke),
                ("stroke-width", Self.number(strokeWidth)), ("stroke-linejoin", "round"),
            ])
    }

    mutating func polygon(_ points: [(x: Double, y: Double)], fill: String) {
        element("polygon", [("points", Self.pointList(points)), ("fill", fill)])
    }

    mutating func circle(x: Double, y: Double, radius: Double, fill: String, tooltip: String? = nil) {
        element(
            "circle", [("cx", Self.number(x)), ("cy", Self.number(y)), ("r", Self.number(radius)), ("fill", fill)],
            tooltip: tooltip)
    }

    /// Text with its anchor (`start`, `middle`, `end`) at `(x, y)` on the baseline, optionally
    /// rotated by `rotation` degrees about that point.
    mutating func text(
        _ content: String, x: Double, y: Double, anchor: String = "start", fontSize: Double = 11,
        bold: Bool = false, fill: String = SVGCanvas.ink, rotation: Double = 0
    ) {
        var attributes = [
            ("x", Self.number(x)), ("y", Self.number(y)), ("text-anchor", anchor),
            ("font-size", Self.number(fontSize)), ("fill", fill),
        ]
        if bold { attributes.append(("font-weight", "bold")) }
        if rotation != 0 {
            attributes.append(("transform", "rotate(\(Self.number(rotation)) \(Self.number(x)) \(Self.number(y)))"))
        }
        elements.append("<text\(Self.attributeText(attributes))>\(HTMLEscaping.escape(content))</text>")
    }

    /// The finished document, with `title` as its accessible name.
    func svg(title: String) -> String {
        let open =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" "
            + "viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\" role=\"img\" "
            + "font-family=\"\(Self.fontFamily)\">"
        let background = "<rect x=\"0\" y=\"0\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" fill=\"#ffffff\"/>"
        return ([open, "<title>\(HTMLEscaping.escape(title))</title>", background] + elements + ["</svg>"])
            .joined(separator: "\n")
    }

    private mutating func element(_ name: String, _ attributes: [(String, String)], tooltip: String? = nil) {
        let start = "<\(name)\(Self.attributeText(attributes))"
        if let tooltip {
            elements.append(start + "><title>\(HTMLEscaping.escape(tooltip))</title></\(name)>")
        } else {
            elements.append(start + "/>")
        }
    }

    private static func attributeText(_ attributes: [(String, String)]) -> String {
        attributes.map { " \($0.0)=\"\(HTMLEscaping.escape($0.1))\"" }.joined()
    }

    private static func pointList(_ points: [(x: Double, y: Double)]) -> String {
        points.map { number($0.x) + "," + number($0.y) }.joined(separator: " ")
    }
}
