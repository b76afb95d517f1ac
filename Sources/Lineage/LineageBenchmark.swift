import FactoryCore
import Foundation

/// Measurements of the lineage store for `bench/`: metric write throughput and graph queries
/// among many runs. Not used by tests (no timing in tests).
public enum LineageBenchmark {
    /// Metric write throughput.
    public struct MetricWrites: Sendable {
        /// Points written.
        public var points: Int
        /// Points per transaction.
        public var batchSize: Int
        /// Seconds spent in `logMetrics`.
        public var seconds: Double
        /// `points / seconds`.
        public var pointsPerSecond: Double { Double(points) / seconds }
    }

    /// One graph query's timing.
    public struct Query: Sendable {
        /// Runs in the store.
        public var runsInStore: Int
        /// Runs and artifacts the query reached.
        public var reachedRuns: Int, reachedArtifacts: Int
        /// Median seconds over the repetitions.
        public var medianSeconds: Double
    }

    /// Writes `points` points (over `keys` keys) to a new run in batches of `batchSize` and times it.
    public static func metricWrites(store: any LineageStore, points: Int, batchSize: Int, keys: Int = 10) throws -> MetricWrites {
        let run = try RunRecord(
            id: "bench-metrics-" + RunRecord.newID(), kind: "bench", name: "metric writes", config: .empty,
            provenance: .capture(), startedAt: Date())
        try store.insertRun(run)
        let now = Date()
        let all = (0..<points).map { index in
            MetricPoint(key: "bench/k\(index % keys)", step: Int64(index / keys), value: sin(Double(index)), wallTime: now)
        }
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            for start in stride(from: 0, to: points, by: batchSize) {
                try store.logMetrics(Array(all[start..<min(start + batchSize, points)]), run: run.id)
            }
        }
        return MetricWrites(points: points, batchSize: batchSize, seconds: elapsed.seconds)
    }

    /// Fills `store` with `pipelines` independent pipelines of `depth` runs each (artifact →
    /// run → artifact → …), every pipeline's first run also reading one shared raw corpus, and
    /// returns the digests of the shared corpus and of the last pipeline's final artifact.
    public static func populate(store: any LineageStore, pipelines: Int, depth: Int) throws -> (shared: Digest, final: Digest) {
        let now = Date()
        let provenance = CodeProvenance.capture()
        func artifact(_ label: String) throws -> Digest {
            let digest = Digest.of(label)
            try store.registerArtifact(ArtifactRecord(digest: digest, kind: "bench", name: label, layout: .file, size: 0, createdAt: now))
            return digest
        }
        let shared = try artifact("shared corpus")
        var final = shared
        for pipeline in 0..<pipelines {
            var previous = try artifact("pipeline \(pipeline) source")
            for level in 0..<depth {
                let run = try RunRecord(
                    id: "bench-\(pipeline)-\(level)", kind: "bench-stage-\(level)", name: "stage \(level)", config: .empty,
                    provenance: provenance, startedAt: now)
                try store.insertRun(run)
                try store.link(LineageEdge(runID: run.id, artifact: previous, direction: .input, role: "data"))
                if level == 0 { try store.link(LineageEdge(runID: run.id, artifact: shared, direction: .input, role: "corpus")) }
                previous = try artifact("pipeline \(pipeline) level \(level) output")
                try store.link(LineageEdge(runID: run.id, artifact: previous, direction: .output, role: "output"))
            }
            final = previous
        }
        return (shared, final)
    }

    /// Times `graph(from:direction:)` (median of `repetitions`).
    public static func query(
        store: any LineageStore, from start: LineageNode, direction: TraversalDirection, runsInStore: Int, repetitions: Int = 5
    ) throws -> Query {
        let clock = ContinuousClock()
        var times = [Double]()
        var graph: LineageGraph?
        for _ in 0..<max(repetitions, 1) {
            times.append(try clock.measure { graph = try store.graph(from: start, direction: direction) }.seconds)
        }
        times.sort()
        return Query(
            runsInStore: runsInStore, reachedRuns: graph?.runs.count ?? 0, reachedArtifacts: graph?.artifacts.count ?? 0,
            medianSeconds: times[times.count / 2])
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
