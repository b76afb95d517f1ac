import Foundation

/// The shared frame of the axis charts: title, plot rectangle, axes with ticks, tick labels and
/// axis labels, grid lines and a legend to the right of the plot.
struct ChartFrame {
    static let tickFontSize = 11.0
    static let titleFontSize = 14.0
    static let legendSwatch = 10.0

    let width: Double
    let height: Double
    /// The plot rectangle.
    let left: Double
    let top: Double
    let right: Double
    let bottom: Double
    let legend: [(name: String, color: String)]

    /// A frame whose margins fit `yTickLabels`, the x-axis label room `xAxisHeight` (tick labels
    /// included) and the legend entries.
    init(
        width: Double, height: Double, hasTitle: Bool, yTickLabels: [String], hasYLabel: Bool,
        xAxisHeight: Double, legend: [(name: String, color: String)]
    ) {
        self.width = width
        self.height = height
        self.legend = legend.map { (SVGCanvas.truncated($0.name, to: 24), $0.color) }
        let tickWidth = yTickLabels.map { SVGCanvas.textWidth($0, fontSize: Self.tickFontSize) }.max() ?? 0
        left = 10 + tickWidth + 8 + (hasYLabel ? 18 : 0)
        top = hasTitle ? 36 : 12
        let legendWidth =
            self.legend.isEmpty
            ? 0 : 16 + Self.legendSwatch + 6 + (self.legend.map { SVGCanvas.textWidth($0.name, fontSize: Self.tickFontSize) }.max() ?? 0)
        right = max(width - 16 - legendWidth, left + 40)
        bottom = max(height - xAxisHeight, top + 40)
    }

    /// Draws the title, the legend, the y axis with grid lines, and the axis labels.
    func drawDecorations(
        on canvas: inout SVGCanvas, title: String, yTicks: AxisTicks, yScale: ChartScale, xLabel: String, yLabel: String
    ) {
        if !title.isEmpty {
            canvas.text(title, x: width / 2, y: 22, anchor: "middle", fontSize: Self.titleFontSize, bold: true)
        }
        for tick in yTicks.values {
            guard let y = yScale.position(tick) else { continue }
            canvas.line(x1: left, y1: y, x2: right, y2: y, stroke: SVGCanvas.grid)
            canvas.line(x1: left - 4, y1: y, x2: left, y2: y, stroke: SVGCanvas.ink)
            canvas.text(yTicks.label(tick), x: left - 7, y: y + 4, anchor: "end", fontSize: Self.tickFontSize)
        }
        canvas.line(x1: left, y1: top, x2: left, y2: bottom, stroke: SVGCanvas.ink)
        canvas.line(x1: left, y1: bottom, x2: right, y2: bottom, stroke: SVGCanvas.ink)
        if !yLabel.isEmpty {
            let x = 14.0
            let y = (top + bottom) / 2
            canvas.text(yLabel, x: x, y: y, anchor: "middle", fontSize: Self.tickFontSize, rotation: -90)
        }
        if !xLabel.isEmpty {
            canvas.text(xLabel, x: (left + right) / 2, y: height - 8, anchor: "middle", fontSize: Self.tickFontSize)
        }
        drawLegend(on: &canvas)
    }

    /// Numeric x ticks below the plot, with vertical grid lines.
    func drawNumericXAxis(on canvas: inout SVGCanvas, ticks: AxisTicks, scale: ChartScale) {
        for tick in ticks.values {
            guard let x = scale.position(tick) else { continue }
            canvas.line(x1: x, y1: top, x2: x, y2: bottom, stroke: SVGCanvas.grid)
            canvas.line(x1: x, y1: bottom, x2: x, y2: bottom + 4, stroke: SVGCanvas.ink)
            canvas.text(ticks.label(tick), x: x, y: bottom + 17, anchor: "middle", fontSize: Self.tickFontSize)
        }
    }

    /// Category names centred under their bands, rotated when they do not fit their band.
    func drawCategoryXAxis(on canvas: inout SVGCanvas, labels: [String], centers: [Double], rotated: Bool) {
        for (label, x) in zip(labels, centers) {
            canvas.line(x1: x, y1: bottom, x2: x, y2: bottom + 4, stroke: SVGCanvas.ink)
            if rotated {
                canvas.text(label, x: x + 3, y: bottom + 12, anchor: "end", fontSize: Self.tickFontSize, rotation: -35)
            } else {
                canvas.text(label, x: x, y: bottom + 17, anchor: "middle", fontSize: Self.tickFontSize)
            }
        }
    }

    /// Room below the plot for category labels of `labels` over bands `bandWidth` wide: whether
    /// to rotate them, and the x-axis height (axis label included when `hasXLabel`).
    static func categoryAxis(labels: [String], bandWidth: Double, hasXLabel: Bool) -> (rotated: Bool, height: Double) {
        let widest = labels.map { SVGCanvas.textWidth($0, fontSize: tickFontSize) }.max() ?? 0
        let rotated = widest > bandWidth - 4
        let labelHeight = rotated ? min(widest * sin(35 * Double.pi / 180) + 16, 140) : 24
        return (rotated, labelHeight + (hasXLabel ? 22 : 6))
    }

    private func drawLegend(on canvas: inout SVGCanvas) {
        guard !legend.isEmpty else { return }
        let x = right + 16
        for (index, entry) in legend.enumerated() {
            let y = top + Double(index) * 18
            canvas.rect(x: x, y: y, width: Self.legendSwatch, height: Self.legendSwatch, fill: entry.color)
            canvas.text(entry.name, x: x + Self.legendSwatch + 6, y: y + 9, fontSize: Self.tickFontSize)
        }
    }
}
