import FactoryCore

/// Horizontal bars with their names on the left and their totals at the right end: a funnel when
/// the rows are successive steps (documents after each curation step), optionally stacked by
/// series (for example by quality bucket) and annotated with each row's share of the first row.
public struct HorizontalBarChart: SVGChart {
    public let title: String
    /// The row names, top to bottom.
    public let rows: [String]
    /// The stacked segments, each with one non-negative value per row (one series: plain bars).
    public let series: [ChartSeries]
    /// Whether each row's total is followed by its share of the first row's total.
    public let showsShareOfFirst: Bool
    /// The x-axis label (empty for none).
    public let xLabel: String
    /// Decimals of the totals and tooltips.
    public let valueDecimals: Int
    /// The SVG width in pixels; the height follows from the number of rows.
    public let width: Double

    static let rowHeight = 26.0

    /// A chart of `series` stacked along `rows`.
    ///
    /// - Throws: ``FactoryError/invalidArgument(name:message:)`` when a series does not have one
    ///   value per row or holds a negative or non-finite value.
    public init(
        title: String, rows: [String], series: [ChartSeries], showsShareOfFirst: Bool = false, xLabel: String = "",
        valueDecimals: Int = 0, width: Double = 640
    ) throws {
        for item in series {
            guard item.values.count == rows.count else {
                throw FactoryError.invalidArgument(
                    name: "series '\(item.name)'", message: "has \(item.values.count) values for \(rows.count) rows")
            }
            if let bad = item.values.firstIndex(where: { !($0 >= 0) || !$0.isFinite }) {
                throw FactoryError.invalidArgument(
                    name: "series '\(item.name)'",
                    message: "value for row '\(rows[bad])' is \(item.values[bad]); bars need finite values ≥ 0")
            }
        }
        self.title = title
        self.rows = rows
        self.series = series
        self.showsShareOfFirst = showsShareOfFirst
        self.xLabel = xLabel
        self.valueDecimals = valueDecimals
        self.width = width
    }

    /// A funnel of single values: `(step, count)` pairs, each annotated with its share of the first.
    public static func funnel(title: String, steps: [(name: String, value: Double)], xLabel: String = "") throws -> HorizontalBarChart {
        try HorizontalBarChart(
            title: title, rows: steps.map(\.name), series: [ChartSeries(name: xLabel, values: steps.map(\.value))],
            showsShareOfFirst: true, xLabel: xLabel)
    }

    /// Each row's total over the series.
    public var totals: [Double] {
        rows.indices.map { row in series.reduce(0) { $0 + $1.values[row] } }
    }

    public func svg() -> String {
        let totals = totals
        let ticks = AxisTicks.linear(minimum: 0, maximum: totals.max() ?? 0)
        let labels = rows.map { SVGCanvas.truncated($0, to: 32) }
        let labelWidth = labels.map { SVGCanvas.textWidth($0, fontSize: ChartFrame.tickFontSize) }.max() ?? 0
        let valueTexts = totals.map { total -> String in
            var text = NumberFormatting.grouped(total, decimals: valueDecimals)
            if showsShareOfFirst, let first = totals.first, first > 0 {
                text += " (" + NumberFormatting.percent(total / first) + ")"
            }
            return text
        }
        let valueWidth = valueTexts.map { SVGCanvas.textWidth($0, fontSize: ChartFrame.tickFontSize) }.max() ?? 0
        let legend = series.count > 1 ? series.enumerated().map { ($0.element.name, ChartPalette.color($0.offset)) } : []
        let legendWidth =
            legend.isEmpty
            ? 0
            : 16 + ChartFrame.legendSwatch + 6
                + (legend.map { SVGCanvas.textWidth(SVGCanvas.truncated($0.0, to: 24), fontSize: ChartFrame.tickFontSize) }.max() ?? 0)

        let top = title.isEmpty ? 12.0 : 36
        let left = 10 + labelWidth + 8
        let right = max(width - 12 - legendWidth - valueWidth - 6, left + 40)
        let bottom = top + Double(rows.count) * Self.rowHeight
        let height = max(bottom + 28 + (xLabel.isEmpty ? 0 : 18), top + Double(legend.count) * 18 + 12)
        let scale = ChartScale(domain: ticks.domain, start: left, end: right)

        var canvas = SVGCanvas(width: width, height: height)
        if !title.isEmpty {
            canvas.text(title, x: width / 2, y: 22, anchor: "middle", fontSize: ChartFrame.titleFontSize, bold: true)
        }
        for tick in ticks.values {
            let x = scale.position(tick)!
            canvas.line(x1: x, y1: top, x2: x, y2: bottom, stroke: SVGCanvas.grid)
            canvas.line(x1: x, y1: bottom, x2: x, y2: bottom + 4, stroke: SVGCanvas.ink)
            canvas.text(ticks.label(tick), x: x, y: bottom + 17, anchor: "middle", fontSize: ChartFrame.tickFontSize)
        }
        for (row, label) in labels.enumerated() {
            let y = top + Double(row) * Self.rowHeight
            canvas.text(label, x: left - 8, y: y + Self.rowHeight / 2 + 4, anchor: "end", fontSize: ChartFrame.tickFontSize)
            var offset = 0.0
            for (index, item) in series.enumerated() {
                let value = item.values[row]
                let x1 = scale.position(offset)!
                let x2 = scale.position(offset + value)!
                let tooltip =
                    (series.count > 1 ? "\(item.name), " : "") + "\(rows[row]): "
                    + NumberFormatting.grouped(value, decimals: valueDecimals)
                canvas.rect(
                    x: x1, y: y + 4, width: x2 - x1, height: Self.rowHeight - 8, fill: ChartPalette.color(index),
                    tooltip: tooltip)
                offset += value
            }
            canvas.text(
                valueTexts[row], x: scale.position(offset)! + 6, y: y + Self.rowHeight / 2 + 4,
                fontSize: ChartFrame.tickFontSize)
        }
        canvas.line(x1: left, y1: top, x2: left, y2: bottom, stroke: SVGCanvas.ink)
        canvas.line(x1: left, y1: bottom, x2: right, y2: bottom, stroke: SVGCanvas.ink)
        if !xLabel.isEmpty {
            canvas.text(xLabel, x: (left + right) / 2, y: height - 8, anchor: "middle", fontSize: ChartFrame.tickFontSize)
        }
        let legendX = width - 12 - legendWidth + 16
        for (index, entry) in legend.enumerated() {
            let y = top + Double(index) * 18
            canvas.rect(x: legendX, y: y, width: ChartFrame.legendSwatch, height: ChartFrame.legendSwatch, fill: entry.1)
            canvas.text(
                SVGCanvas.truncated(entry.0, to: 24), x: legendX + ChartFrame.legendSwatch + 6, y: y + 9,
                fontSize: ChartFrame.tickFontSize)
        }
        return canvas.svg(title: title)
    }
}
