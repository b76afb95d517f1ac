import FactoryCore
import Foundation

/// Everything recorded about one run, as `factory runs show` prints it.
public struct RunDetails: Hashable, Sendable, Encodable {
    /// The run.
    public var run: RunRecord
    /// What it used and produced.
    public var edges: [LineageEdge]
    /// The last point of every metric.
    public var finalMetrics: [MetricPoint]
    /// How many metric points it logged in all.
    public var metricPointCount: Int
    /// Its events.
    public var events: [RunEvent]

    /// Loads the details of `run` from `store`.
    public init(run: RunRecord, store: any LineageStore) throws {
        self.run = run
        edges = try store.edges(ofRun: run.id)
        finalMetrics = try store.finalMetrics(run: run.id)
        metricPointCount = try store.metricCount(run: run.id)
        events = try store.events(ofRun: run.id)
    }

    private enum CodingKeys: String, CodingKey {
        case run, edges
        case finalMetrics = "final_metrics"
        case metricPointCount = "metric_point_count"
        case events
    }

    /// The details as text for a terminal.
    public func renderText() -> String {
        let provenance = run.provenance
        var lines = [
            "run \(run.id)",
            "  kind: \(run.kind)",
            "  name: \(run.name)",
            "  status: \(run.status.rawValue)",
            "  started: \(Self.time(run.startedAt))",
            "  ended: \(run.endedAt.map(Self.time) ?? "—")",
            "  seed: \(run.seed.map(String.init) ?? "—")",
            "  tags: \(run.tags.isEmpty ? "—" : run.tags.joined(separator: ", "))",
            "  factory version: \(provenance.factoryVersion)",
            "  git commit: \(provenance.gitCommit ?? "— (not run from a checkout)")",
            "  uncommitted diff: \(provenance.gitDiffDigest?.hex ?? "none")",
            "  executable: \(provenance.executableDigest?.hex ?? "unknown")",
            "  host: \(provenance.host)",
            "  config digest: \(run.config.digest.hex)",
            "config:",
        ]
        let leaves = run.config.flattened
        lines += leaves.isEmpty ? ["  (empty)"] : leaves.map { "  \($0.path) = \($0.value.plainText)" }
        for direction in EdgeDirection.allCases {
            let matching = edges.filter { $0.direction == direction }
            lines.append(direction == .input ? "inputs:" : "outputs:")
            lines += matching.isEmpty ? ["  (none)"] : matching.map { "  \($0.artifact.hex) (\($0.role))" }
        }
        lines.append("metrics (\(metricPointCount) points; last value of each):")
        lines +=
            finalMetrics.isEmpty
            ? ["  (none)"]
            : TextTable.render(
                header: ["key", "step", "value"], rows: finalMetrics.map { [$0.key, String($0.step), AblationReport.number($0.value)] }
            )
            .map { "  " + $0 }
        lines.append("events:")
        lines +=
            events.isEmpty
            ? ["  (none)"]
            : events.map { event in
                let details = event.details.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                return "  \(Self.time(event.time)) \(event.kind.rawValue)\(event.step.map { " step \($0)" } ?? ""): \(event.message)"
                    + (details.isEmpty ? "" : " [\(details)]")
            }
        return lines.joined(separator: "\n")
    }

    /// A time as ISO 8601 (UTC).
    static func time(_ date: Date) -> String { date.formatted(.iso8601) }

    /// A table of runs, one line each, for `factory runs list`.
    public static func renderList(_ runs: [RunRecord]) -> String {
        guard !runs.isEmpty else { return "(no runs)" }
        return TextTable.render(
            header: ["id", "kind", "name", "status", "started", "seed", "tags"],
            rows: runs.map {
                [
                    $0.id, $0.kind, $0.name, $0.status.rawValue, time($0.startedAt), $0.seed.map(String.init) ?? "—",
                    $0.tags.joined(separator: ","),
                ]
            }
        ).joined(separator: "\n")
    }
}
