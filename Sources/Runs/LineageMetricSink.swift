import Foundation
import Lineage
import Training

/// Sends a trainer's metrics to a run in the lineage store.
public struct LineageMetricSink: MetricSink {
    public let store: any LineageStore
    public let runID: String

    public init(store: any LineageStore, runID: String) {
        self.store = store
        self.runID = runID
    }

    public func record(step: Int, values: [String: Double]) throws {
        let now = Date()
        try store.logMetrics(
            values.keys.sorted().map { MetricPoint(key: $0, step: Int64(step), value: values[$0]!, wallTime: now) }, run: runID)
    }
}
