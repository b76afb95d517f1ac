import ArgumentParser
import FactoryCore
import Foundation
import Lineage

/// `factory bench lineage`: lineage store throughput and query time on this machine.
struct LineageBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lineage",
        abstract: "Measure metric writes per second and lineage query time in a scratch store.")

    @Option(help: "Metric points to write.") var points = 200_000
    @Option(help: "Points per transaction.") var batchSize = 1_000
    @Option(help: "Runs in the store for the lineage queries (a multiple of --depth).") var runs = 10_000
    @Option(help: "Runs per pipeline.") var depth = 5
    @Option(help: "Scratch directory (default: a new temporary one, removed afterwards).") var scratch: String?

    func run() throws {
        guard points > 0, batchSize > 0, depth > 0, runs >= depth else { throw ValidationError("sizes must be positive, --runs ≥ --depth") }
        let root = scratch ?? NSTemporaryDirectory() + "factory-lineage-bench-" + RunRecord.newID()
        defer { if scratch == nil { try? FileManager.default.removeItem(atPath: root) } }
        let store = try FactoryStore.open(root: root)
        let writes = try LineageBenchmark.metricWrites(store: store.records, points: points, batchSize: batchSize)
        print("metric_points: \(writes.points)")
        print("metric_batch_size: \(writes.batchSize)")
        print("metric_seconds: \(String(format: "%.3f", writes.seconds))")
        print("metric_points_per_second: \(String(format: "%.0f", writes.pointsPerSecond))")
        let ends = try LineageBenchmark.populate(store: store.records, pipelines: runs / depth, depth: depth)
        let stored = runs / depth * depth
        for (name, start, direction) in [
            ("upstream_final", LineageNode.artifact(ends.final), TraversalDirection.upstream),
            ("downstream_shared", .artifact(ends.shared), .downstream),
        ] {
            let query = try LineageBenchmark.query(store: store.records, from: start, direction: direction, runsInStore: stored)
            print("\(name)_runs_in_store: \(query.runsInStore)")
            print("\(name)_reached: \(query.reachedRuns) runs, \(query.reachedArtifacts) artifacts")
            print("\(name)_ms: \(String(format: "%.3f", query.medianSeconds * 1000))")
        }
    }
}
