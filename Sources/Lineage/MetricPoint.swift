import Foundation

/// One value of a metric series: (key, step) identifies it within a run.
public struct MetricPoint: Hashable, Sendable, Codable {
    /// The metric's name, e.g. `train/loss`, `eval/loss`.
    public var key: String
    /// The step (optimizer step, token count, epoch) the value belongs to.
    public var step: Int64
    /// The value; NaN is allowed (a diverged loss is worth recording).
    public var value: Double
    /// When the value was measured.
    public var wallTime: Date

    /// A metric point.
    public init(key: String, step: Int64, value: Double, wallTime: Date) {
        self.key = key
        self.step = step
        self.value = value
        self.wallTime = wallTime
    }

    /// Whether `other` is the same measurement: same key and step, and the same value (NaN
    /// equals NaN here). The wall time does not matter, so re-logging a point is a no-op.
    public func isSameMeasurement(as other: MetricPoint) -> Bool {
        key == other.key && step == other.step && (value == other.value || (value.isNaN && other.value.isNaN))
    }

    private enum CodingKeys: String, CodingKey {
        case key, step, value
        case wallTime = "wall_time"
    }
}
