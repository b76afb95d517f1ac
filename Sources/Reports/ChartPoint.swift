/// A data point of a line chart or scatter plot, with an optional label shown next to it.
public struct ChartPoint: Equatable, Sendable {
    public let x: Double
    public let y: Double
    /// Text drawn beside the point (scatter plots) and in its tooltip; `nil` for none.
    public let label: String?

    /// The point `(x, y)`.
    public init(x: Double, y: Double, label: String? = nil) {
        self.x = x
        self.y = y
        self.label = label
    }
}

/// A named sequence of points drawn as one line.
public struct LineSeries: Equatable, Sendable {
    /// The legend entry.
    public let name: String
    /// The points, in drawing order (usually ascending x).
    public let points: [ChartPoint]

    /// A series called `name`.
    public init(name: String, points: [ChartPoint]) {
        self.name = name
        self.points = points
    }

    /// A series of `(x, y)` pairs.
    public init(name: String, xy: [(x: Double, y: Double)]) {
        self.init(name: name, points: xy.map { ChartPoint(x: $0.x, y: $0.y) })
    }
}
