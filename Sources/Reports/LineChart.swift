/// Several series as lines over a numeric x axis (training loss over steps, validation loss per
/// domain), on a linear or logarithmic y axis.
///
/// Points that cannot be drawn (not finite, or not positive on a logarithmic axis) are skipped and
/// break their line. Series of up to ``markerLimit`` points also get a marker per point, with a tooltip.
public struct LineChart: SVGChart {
    public let title: String
    public let series: [LineSeries]
    /// The x-axis label (empty for none).
    public let xLabel: String
    /// The y-axis label (empty for none).
    public let yLabel: String
    /// Whether the y axis is logarithmic (ticks at powers of ten).
    public let logarithmicY: Bool
    /// Decimals of the values in tooltips.
    public let valueDecimals: Int
    /// The SVG size in pixels.
    public let width: Double
    public let height: Double

    /// The most points a series may have and still get a marker per point.
    public static let markerLimit = 40

    /// A chart of `series`.
    public init(
        title: String, series: [LineSeries], xLabel: String = "", yLabel: String = "", logarithmicY: Bool = false,
        valueDecimals: Int = 4, width: Double = 640, height: Double = 360
    ) {
        self.title = title
        self.series = series
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.logarithmicY = logarithmicY
        self.valueDecimals = valueDecimals
        self.width = width
        self.height = height
    }

    private func drawable(_ point: ChartPoint) -> Bool {
        point.x.isFinite && point.y.isFinite && (!logarithmicY || point.y > 0)
    }

    public func svg() -> String {
        let points = series.flatMap(\.points).filter(drawable)
        let xTicks = AxisTicks.linear(minimum: points.map(\.x).min() ?? 0, maximum: points.map(\.x).max() ?? 1)
        let yMinimum = points.map(\.y).min() ?? (logarithmicY ? 1 : 0)
        let yMaximum = points.map(\.y).max() ?? (logarithmicY ? 10 : 1)
        let yTicks =
            logarithmicY
            ? AxisTicks.logarithmic(minimum: yMinimum, maximum: yMaximum)
            : AxisTicks.linear(minimum: yMinimum, maximum: yMaximum)
        let legend = series.count > 1 ? series.enumerated().map { ($0.element.name, ChartPalette.color($0.offset)) } : []
        let layout = ChartFrame(
            width: width, height: height, hasTitle: !title.isEmpty, yTickLabels: yTicks.values.map(yTicks.label),
            hasYLabel: !yLabel.isEmpty, xAxisHeight: xLabel.isEmpty ? 30 : 46, legend: legend)
        let xScale = ChartScale(domain: xTicks.domain, start: layout.left, end: layout.right)
        let yScale = ChartScale(
            domain: yTicks.domain, start: layout.bottom, end: layout.top, kind: logarithmicY ? .logarithmic : .linear)

        var canvas = SVGCanvas(width: width, height: height)
        layout.drawNumericXAxis(on: &canvas, ticks: xTicks, scale: xScale)
        layout.drawDecorations(on: &canvas, title: title, yTicks: yTicks, yScale: yScale, xLabel: xLabel, yLabel: yLabel)
        for (index, item) in series.enumerated() {
            let color = ChartPalette.color(index)
            var run = [(x: Double, y: Double)]()
            for point in item.points {
                if drawable(point), let x = xScale.position(point.x), let y = yScale.position(point.y) {
                    run.append((x, y))
                } else {
                    canvas.polyline(run, stroke: color)
                    run = []
                }
            }
            canvas.polyline(run, stroke: color)
            guard item.points.count <= Self.markerLimit else { continue }
            for point in item.points where drawable(point) {
                let tooltip =
                    (point.label.map { $0 + ": " } ?? (item.name.isEmpty ? "" : item.name + ": "))
                    + "(\(NumberFormatting.trimmed(point.x, decimals: valueDecimals)), "
                    + "\(NumberFormatting.trimmed(point.y, decimals: valueDecimals)))"
                canvas.circle(
                    x: xScale.position(point.x)!, y: yScale.position(point.y)!, radius: 2.5, fill: color, tooltip: tooltip)
            }
        }
        return canvas.svg(title: title)
    }
}
