import FactoryCore
import Foundation

/// The metrics of one capability evaluation (`factory eval --suites capabilities --output FILE`,
/// `CapabilityResults` as JSON) under their lineage names, for a sweep's metrics table:
///
/// - `eval/<capability>/score` (the mean over its tasks of each task's primary metric), with
///   `eval/<capability>/stderr` (bootstrap) and `eval/<capability>/chance` (a uniform guesser's score);
/// - `eval/<capability>/<metric>`: the mean over the capability's tasks that report `<metric>`
///   (as the results file gives it);
/// - `eval/task/<task>/<metric>`: every metric of every task.
///
/// Only the fields named here are read (the file's per-document results are skipped), so the
/// sweep depends on the CLI's output contract, not on the evaluator's types.
public enum CapabilityMetrics {
    private struct File: Decodable {
        var tasks: [Task]
        var capabilities: [Capability]
    }

    private struct Task: Decodable {
        var name: String
        var metrics: [String: Value]
    }

    private struct Value: Decodable {
        var value: Double
    }

    private struct Capability: Decodable {
        var capability: String
        var score: Double
        var stderr: Double
        var chance: Double
        var metrics: [String: Double]
    }

    /// The metrics of the results file at `path`; errors name the file.
    public static func read(path: String) throws -> [String: Double] {
        try FileKind.requireRegularFile(path, name: "capability results")
        guard let data = FileManager.default.contents(atPath: path) else { throw FactoryError.fileNotFound(path: path) }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch {
            throw FactoryError.corrupt(path: path, reason: "not the results of `factory eval --suites capabilities` (\(error))")
        }
        var metrics = [String: Double]()
        for capability in file.capabilities {
            let name = capability.capability
            for (metric, value) in capability.metrics where !["score", "stderr", "chance"].contains(metric) {
                metrics["eval/\(name)/\(metric)"] = value
            }
            metrics["eval/\(name)/score"] = capability.score
            metrics["eval/\(name)/stderr"] = capability.stderr
            metrics["eval/\(name)/chance"] = capability.chance
        }
        for task in file.tasks {
            for (metric, value) in task.metrics { metrics["eval/task/\(task.name)/\(metric)"] = value.value }
        }
        if let bad = metrics.first(where: { !$0.value.isFinite }) {
            throw FactoryError.corrupt(path: path, reason: "\(bad.key) is \(bad.value), not a finite number")
        }
        return metrics
    }

    /// The capability names of a metrics table's `eval/<capability>/score` columns, sorted.
    public static func capabilities(in columns: [String]) -> [String] {
        columns.compactMap { column -> String? in
            let parts = column.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0] == "eval", parts[2] == "score", parts[1] != "task" else { return nil }
            return String(parts[1])
        }.sorted()
    }

    /// The score column of `capability`.
    public static func scoreColumn(_ capability: String) -> String { "eval/\(capability)/score" }
}
