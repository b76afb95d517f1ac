import FactoryCore

/// Text for `factory artifacts list` and `factory artifacts show`.
public enum ArtifactListing {
    /// One line per artifact.
    public static func renderList(_ artifacts: [ArtifactRecord]) -> String {
        guard !artifacts.isEmpty else { return "(no artifacts)" }
        return TextTable.render(
            header: ["digest", "kind", "name", "layout", "size", "created"],
            rows: artifacts.map {
                [String($0.digest.hex.prefix(16)), $0.kind, $0.name, $0.layout.rawValue, String($0.size), RunDetails.time($0.createdAt)]
            }
        ).joined(separator: "\n")
    }

    /// One artifact with the runs that produced and used it.
    public static func renderDetails(_ artifact: ArtifactRecord, edges: [LineageEdge], objectPath: String) -> String {
        var lines = [
            "artifact \(artifact.digest.hex)",
            "  kind: \(artifact.kind)",
            "  name: \(artifact.name)",
            "  layout: \(artifact.layout.rawValue)",
            "  size: \(artifact.size) bytes",
            "  created: \(RunDetails.time(artifact.createdAt))",
            "  object: \(objectPath)",
            "  metadata: \((try? CanonicalJSON.encode(artifact.metadata)) ?? "?")",
        ]
        let producers = edges.filter { $0.direction == .output }
        let consumers = edges.filter { $0.direction == .input }
        lines.append("produced by:")
        lines += producers.isEmpty ? ["  (no recorded run)"] : producers.map { "  run \($0.runID) (\($0.role))" }
        lines.append("used by:")
        lines += consumers.isEmpty ? ["  (no recorded run)"] : consumers.map { "  run \($0.runID) (\($0.role))" }
        return lines.joined(separator: "\n")
    }
}
