/// A chart that renders itself as a standalone `<svg>` element (no script, no external assets),
/// to embed inline in an HTML report.
public protocol SVGChart: Sendable {
    /// The chart's heading, drawn at its top and used as the SVG's accessible title.
    var title: String { get }
    /// The SVG markup; the same chart always gives the same text.
    func svg() -> String
}
