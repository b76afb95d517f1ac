import Testing

@testable import Reports

@Suite struct ChartTests {
    /// The `height` attributes of the `<rect>` elements carrying a tooltip (the data bars).
    static func barHeights(_ svg: String) throws -> [Double] {
        let check = XMLCheck()
        #expect(check.parse(svg))
        var heights = [Double]()
        for (name, attributes) in zip(check.elements, check.attributes) where name == "rect" {
            if let height = attributes["height"], attributes["fill"] != "#ffffff", attributes["width"] != "10" {
                heights.append(Double(height)!)
            }
        }
        return heights
    }

    @Test func barHeightsAreProportionalToValues() throws {
        let chart = BarChart(title: "t", values: [("a", 10), ("b", 25), ("c", 40)])
        let heights = try Self.barHeights(chart.svg())
        #expect(heights.count == 3)
        // Axis 0...40: heights in the ratio 1 : 2.5 : 4 (to the 0.01 px the output keeps).
        #expect(abs(heights[1] / heights[0] - 2.5) < 0.01)
        #expect(abs(heights[2] / heights[0] - 4) < 0.01)
    }

    @Test func stackedBarsReachTheTotal() throws {
        let grouped = try BarChart(
            title: "", categories: ["x"],
            series: [ChartSeries(name: "a", values: [30]), ChartSeries(name: "b", values: [10])])
        let stacked = try BarChart(
            title: "", categories: ["x"],
            series: [ChartSeries(name: "a", values: [30]), ChartSeries(name: "b", values: [10])], arrangement: .stacked)
        #expect(grouped.valueRange.high == 30)
        #expect(stacked.valueRange.high == 40)
        let heights = try Self.barHeights(stacked.svg())
        #expect(heights.count == 2 && abs(heights[0] / heights[1] - 3) < 0.01)
    }

    @Test func funnelShowsSharesOfTheFirstStep() throws {
        let svg = try HorizontalBarChart.funnel(title: "f", steps: [("read", 47_210), ("dedup", 41_000), ("quality", 23_605)]).svg()
        #expect(svg.contains(">47,210 (100.0%)<"))
        #expect(svg.contains(">41,000 (86.8%)<"))
        #expect(svg.contains(">23,605 (50.0%)<"))
    }

    @Test func lineChartBreaksAtUndrawablePoints() {
        let chart = LineChart(
            title: "", series: [LineSeries(name: "loss", xy: [(0, 1), (1, 2), (2, -1), (3, 4), (4, 5)])],
            logarithmicY: true)
        let svg = chart.svg()
        // Two runs around the non-positive point on a log axis; markers only on the four drawable points.
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 2)
        #expect(svg.components(separatedBy: "<circle").count - 1 == 4)
    }

    @Test func scatterDiagonalUsesOneRangeForBothAxes() throws {
        let svg = ScatterPlot(
            title: "", points: [ChartPoint(x: 0.1, y: 0.9), ChartPoint(x: 0.5, y: 0.2)], showsDiagonal: true
        ).svg()
        // The dashed diagonal runs from the plot's bottom-left to its top-right corner.
        let check = XMLCheck()
        #expect(check.parse(svg))
        let diagonal = zip(check.elements, check.attributes).first { $0.0 == "line" && $0.1["stroke-dasharray"] != nil }
        let attributes = try #require(diagonal?.1)
        let x1 = Double(attributes["x1"]!)!
        let y1 = Double(attributes["y1"]!)!
        let x2 = Double(attributes["x2"]!)!
        let y2 = Double(attributes["y2"]!)!
        #expect(x1 < x2 && y1 > y2)
    }
}
