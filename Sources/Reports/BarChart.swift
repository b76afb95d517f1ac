import FactoryCore

/// A vertical bar chart: one bar per category, or for several series bars side by side (grouped)
/// or on top of each other (stacked). Each bar carries a tooltip with its exact value.
public struct BarChart: SVGChart {
    /// How several series share a category.
    public enum Arrangement: Sendable {
        /// Side by side.
        case grouped
        /// On top of each other (positive values upwards, negative downwards).
        case stacked
    }

    public let title: String
    /// The category names along the x axis.
    public let categories: [String]
    /// The series, each with one value per category.
    public let series: [ChartSeries]
    /// Grouped or stacked.
    public let arrangement: Arrangement
    /// The x-axis label (empty for none).
    public let xLabel: String
    /// The y-axis label (empty for none).
    public let yLabel: String
    /// Decimals of the values in tooltips.
    public let valueDecimals: Int
    /// The SVG size in pixels.
    public let width: Double
    public let height: Double

    /// A chart of `series` over `categories`.
    ///
    /// - Throws: ``FactoryError/invalidArgument(name:message:)`` when a series does not have one
    ///   value per category.
    public init(
        title: String, categories: [String], series: [ChartSeries], arrangement: Arrangement = .grouped,
        xLabel: String = "", yLabel: String = "", valueDecimals: Int = 2, width: Double = 640, height: Double = 360
    ) throws {
        for item in series where item.values.count != categories.count {
            throw FactoryError.invalidArgument(
                name: "series '\(item.name)'",
                message: "has \(item.values.count) values for \(categories.count) categories")
        }
        self.title = title
        self.categories = categories
        self.series = series
        self.arrangement = arrangement
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.valueDecimals = valueDecimals
        self.width = width
        self.height = height
    }

    /// A single-series chart of `(category, value)` pairs.
    public init(
        title: String, values: [(category: String, value: Double)], xLabel: String = "", yLabel: String = "",
        valueDecimals: Int = 2, width: Double = 640, height: Double = 360
    ) {
        self.title = title
        categories = values.map(\.category)
        series = [ChartSeries(name: yLabel, values: values.map(\.value))]
        arrangement = .grouped
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.valueDecimals = valueDecimals
        self.width = width
        self.height = height
    }

    /// The lowest and highest value the y axis must show (0 always included).
    var valueRange: (low: Double, high: Double) {
        var low = 0.0
        var high = 0.0
        for category in categories.indices {
            let values = series.map { $0.values[category] }.filter(\.isFinite)
            switch arrangement {
            case .grouped:
                low = min(low, values.min() ?? 0)
                high = max(high, values.max() ?? 0)
            case .stacked:
                low = min(low, values.filter { $0 < 0 }.reduce(0, +))
                high = max(high, values.filter { $0 > 0 }.reduce(0, +))
            }
        }
        return (low, high)
    }

    public func svg() -> String {
        let range = valueRange
        let ticks = AxisTicks.linear(minimum: range.low, maximum: range.high)
        let legend = series.count > 1 ? series.enumerated().map { ($0.element.name, ChartPalette.color($0.offset)) } : []
        let labels = categories.map { SVGCanvas.truncated($0, to: 28) }
        func frame(xAxisHeight: Double) -> ChartFrame {
            ChartFrame(
                width: width, height: height, hasTitle: !title.isEmpty, yTickLabels: ticks.values.map(ticks.label),
                hasYLabel: !yLabel.isEmpty, xAxisHeight: xAxisHeight, legend: legend)
        }
        let provisional = frame(xAxisHeight: 0)
        let band = (provisional.right - provisional.left) / Double(max(categories.count, 1))
        let axis = ChartFrame.categoryAxis(labels: labels, bandWidth: band, hasXLabel: !xLabel.isEmpty)
        let layout = frame(xAxisHeight: axis.height)
        let yScale = ChartScale(domain: ticks.domain, start: layout.bottom, end: layout.top)

        var canvas = SVGCanvas(width: width, height: height)
        layout.drawDecorations(on: &canvas, title: title, yTicks: ticks, yScale: yScale, xLabel: xLabel, yLabel: yLabel)
        let inner = band * 0.8
        let zero = yScale.position(0)!
        var centers = [Double]()
        for (category, name) in categories.enumerated() {
            let bandStart = layout.left + Double(category) * band
            centers.append(bandStart + band / 2)
            var positiveTop = 0.0
            var negativeBottom = 0.0
            for (index, item) in series.enumerated() {
                let value = item.values[category]
                guard value.isFinite else { continue }
                let tooltip =
                    (series.count > 1 ? "\(item.name), " : "") + "\(name): "
                    + NumberFormatting.grouped(value, decimals: valueDecimals)
                let from: Double
                let to: Double
                let x: Double
                let barWidth: Double
                switch arrangement {
                case .grouped:
                    barWidth = inner / Double(series.count)
                    x = bandStart + band * 0.1 + Double(index) * barWidth
                    (from, to) = (0, value)
                case .stacked:
                    barWidth = inner
                    x = bandStart + band * 0.1
                    if value >= 0 {
                        (from, to) = (positiveTop, positiveTop + value)
                        positiveTop += value
                    } else {
                        (from, to) = (negativeBottom, negativeBottom + value)
                        negativeBottom += value
                    }
                }
                let y1 = yScale.position(from) ?? zero
                let y2 = yScale.position(to) ?? zero
                canvas.rect(
                    x: x, y: min(y1, y2), width: barWidth, height: abs(y2 - y1), fill: ChartPalette.color(index),
                    tooltip: tooltip)
            }
        }
        canvas.line(x1: layout.left, y1: zero, x2: layout.right, y2: zero, stroke: SVGCanvas.ink)
        layout.drawCategoryXAxis(on: &canvas, labels: labels, centers: centers, rotated: axis.rotated)
        return canvas.svg(title: title)
    }
}

/// A named row of values, one per category (bar charts) or per bar (horizontal bar charts).
public struct ChartSeries: Equatable, Sendable {
    /// The legend entry.
    public let name: String
    /// The values, in category order.
    public let values: [Double]

    /// A series called `name`.
    public init(name: String, values: [Double]) {
        self.name = name
        self.values = values
    }
}
