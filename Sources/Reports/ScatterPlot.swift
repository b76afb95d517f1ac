/// Points over two numeric axes, optionally with the diagonal y = x (both axes then share one
/// range, so points on the diagonal are exact predictions) and each point's label beside it.
///
/// For predicted-vs-actual plots put the rank correlation in the ``title``.
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

    /// A plot of `points`; those with a non-finite coordinate are left out.
    public init(
        title: String, points: [ChartPoint], xLabel: String = "", yLabel: String = "", showsDiagonal: Bool = false,
        showsLabels: Bool = false, valueDecimals: Int = 4, width: Double = 480, height: Double = 420
    ) {
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
            hasYLabel: !yLabel.isEmpty, xAxisHeight: xLabel.isEmpty ? 30 : 46, legend: [])
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
        for point in drawn {
            let x = xScale.position(point.x)!
            let y = yScale.position(point.y)!
            let coordinates =
                "(\(NumberFormatting.trimmed(point.x, decimals: valueDecimals)), "
                + "\(NumberFormatting.trimmed(point.y, decimals: valueDecimals)))"
            canvas.circle(
                x: x, y: y, radius: 3.5, fill: ChartPalette.color(0),
                tooltip: point.label.map { "\($0): \(coordinates)" } ?? coordinates)
            if showsLabels, let label = point.label {
                canvas.text(SVGCanvas.truncated(label, to: 24), x: x + 6, y: y - 5, fontSize: 9, fill: "#555555")
            }
        }
        return canvas.svg(title: title)
    }
}
