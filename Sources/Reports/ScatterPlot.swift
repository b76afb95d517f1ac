/// Points over two numeric axes, optionally with the diagonal y = x (both axes then share one
/// range, so points on the diagonal are exact predictions) and each point's label beside it.
///
/// For predicted-vs-actual plots put the rank correlation in the ``title``. Some points may be
/// highlighted (drawn larger, in the second palette color, named in a legend): a Pareto front.
public struct ScatterPlot: SVGChart {
    public let title: String
    public let points: [ChartPoint]
    /// The x-axis label (empty for none).
    public let xLabel: String
    /// The y-axis label (empty for none).
    public let yLabel: String
    /// Whether to draw the line y = x and give both axes the same range.
    public let showsDiagonal: Bool
    /// Whether to draw each point's label beside it (labels always appear in tooltips).
    public let showsLabels: Bool
    /// Decimals of the values in tooltips.
    public let valueDecimals: Int
    /// The SVG size in pixels.
    public let width: Double
    public let height: Double
    /// The legend names of the plain and the highlighted points, when some are highlighted.
    public let highlight: (plain: String, highlighted: String)?
    /// Whether each point of ``points`` is highlighted (empty: none is).
    public let highlighted: [Bool]

    /// A plot of `points`; those with a non-finite coordinate are left out. `highlighted`, when
    /// not empty, has one flag per point; `highlight` names the two kinds in the legend.
    public init(
        title: String, points: [ChartPoint], xLabel: String = "", yLabel: String = "", showsDiagonal: Bool = false,
        showsLabels: Bool = false, valueDecimals: Int = 4, width: Double = 480, height: Double = 420,
        highlighted: [Bool] = [], highlight: (plain: String, highlighted: String)? = nil
    ) {
        precondition(highlighted.isEmpty || highlighted.count == points.count, "one highlight flag per point")
        self.highlighted = highlighted
        self.highlight = highlighted.isEmpty ? nil : highlight
        self.title = title
        self.points = points
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.showsDiagonal = showsDiagonal
        self.showsLabels = showsLabels
        self.valueDecimals = valueDecimals
        self.width = width
        self.height = height
    }

    public func svg() -> String {
        let flags = highlighted.isEmpty ? [Bool](repeating: false, count: points.count) : highlighted
        let drawnFlags = zip(points, flags).filter { $0.0.x.isFinite && $0.0.y.isFinite }.map(\.1)
        let drawn = points.filter { $0.x.isFinite && $0.y.isFinite }
        let xs = drawn.map(\.x)
        let ys = drawn.map(\.y)
        var xTicks = AxisTicks.linear(minimum: xs.min() ?? 0, maximum: xs.max() ?? 1)
        var yTicks = AxisTicks.linear(minimum: ys.min() ?? 0, maximum: ys.max() ?? 1)
        if showsDiagonal {
            let shared = AxisTicks.linear(minimum: (xs + ys).min() ?? 0, maximum: (xs + ys).max() ?? 1)
            (xTicks, yTicks) = (shared, shared)
        }
        let layout = ChartFrame(
            width: width, height: height, hasTitle: !title.isEmpty, yTickLabels: yTicks.values.map(yTicks.label),
            hasYLabel: !yLabel.isEmpty, xAxisHeight: xLabel.isEmpty ? 30 : 46,
            legend: highlight.map { [($0.plain, ChartPalette.color(0)), ($0.highlighted, ChartPalette.color(1))] } ?? [])
        let xScale = ChartScale(domain: xTicks.domain, start: layout.left, end: layout.right)
        let yScale = ChartScale(domain: yTicks.domain, start: layout.bottom, end: layout.top)

        var canvas = SVGCanvas(width: width, height: height)
        layout.drawNumericXAxis(on: &canvas, ticks: xTicks, scale: xScale)
        layout.drawDecorations(on: &canvas, title: title, yTicks: yTicks, yScale: yScale, xLabel: xLabel, yLabel: yLabel)
        if showsDiagonal {
            let low = xTicks.domain.lowerBound
            let high = xTicks.domain.upperBound
            canvas.line(
                x1: xScale.position(low)!, y1: yScale.position(low)!, x2: xScale.position(high)!,
                y2: yScale.position(high)!, stroke: "#999999", dashed: true)
        }
        for (point, isHighlighted) in zip(drawn, drawnFlags) {
            let x = xScale.position(point.x)!
            let y = yScale.position(point.y)!
            let coordinates =
                "(\(NumberFormatting.trimmed(point.x, decimals: valueDecimals)), "
                + "\(NumberFormatting.trimmed(point.y, decimals: valueDecimals)))"
            canvas.circle(
                x: x, y: y, radius: isHighlighted ? 5 : 3.5, fill: ChartPalette.color(isHighlighted ? 1 : 0),
                tooltip: point.label.map { "\($0): \(coordinates)" } ?? coordinates)
            if showsLabels, let label = point.label {
                canvas.text(SVGCanvas.truncated(label, to: 24), x: x + 6, y: y - 5, fontSize: 9, fill: "#555555")
            }
        }
        return canvas.svg(title: title)
    }
}
