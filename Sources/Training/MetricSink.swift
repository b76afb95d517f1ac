/// Where a trainer reports metrics (the lineage store, a test's array, …).
public protocol MetricSink {
    /// Records `values` (metric key → value) at `step`.
    func record(step: Int, values: [String: Double]) throws
}
