import FactoryCore
import Foundation

/// How `factory lineage` prints a graph.
public enum LineageGraphFormat: String, Sendable, CaseIterable {
    /// An indented tree from the start node; a node reached twice is shown once and referred to.
    case text
    /// `{"start", "direction", "runs", "artifacts", "edges"}`, keys sorted.
    case json
    /// Graphviz: artifacts as boxes, runs as ellipses, arrows in the direction data flows.
    case dot

    /// The graph in this format.
    public func render(_ graph: LineageGraph) throws -> String {
        switch self {
        case .text: return Self.text(graph)
        case .json: return try Self.json(graph)
        case .dot: return Self.dot(graph)
        }
    }

    private static func label(_ node: LineageNode, _ graph: LineageGraph) -> String {
        switch node {
        case .run(let id):
            guard let run = graph.runs.first(where: { $0.id == id }) else { return "run \(id)" }
            return "run \(id) \(run.kind) \"\(run.name)\" [\(run.status.rawValue)]"
        case .artifact(let digest):
            guard let artifact = graph.artifacts.first(where: { $0.digest == digest }) else { return "artifact \(digest.hex.prefix(12))" }
            return "artifact \(digest.hex.prefix(12)) \(artifact.kind) \"\(artifact.name)\" (\(artifact.size) bytes)"
        }
    }

    /// The neighbours of `node` in the walk's direction, with the role of the connecting edge.
    private static func next(_ node: LineageNode, _ graph: LineageGraph) -> [(LineageNode, String)] {
        let upstream = graph.direction == .upstream
        switch node {
        case .run(let id):
            return graph.edges
                .filter { $0.runID == id && $0.direction == (upstream ? .input : .output) }
                .map { (.artifact($0.artifact), $0.role) }
        case .artifact(let digest):
            return graph.edges
                .filter { $0.artifact == digest && $0.direction == (upstream ? .output : .input) }
                .map { (.run($0.runID), $0.role) }
        }
    }

    private static func text(_ graph: LineageGraph) -> String {
        var lines = [label(graph.start, graph)]
        var shown: Set<LineageNode> = [graph.start]
        let arrow = graph.direction == .upstream ? "<-" : "->"
        func visit(_ node: LineageNode, depth: Int) {
            for (child, role) in next(node, graph) {
                let indent = String(repeating: "  ", count: depth)
                if shown.contains(child) {
                    lines.append("\(indent)\(arrow) (\(role)) \(label(child, graph)) (shown above)")
                    continue
                }
                shown.insert(child)
                lines.append("\(indent)\(arrow) (\(role)) \(label(child, graph))")
                visit(child, depth: depth + 1)
            }
        }
        visit(graph.start, depth: 1)
        return lines.joined(separator: "\n")
    }

    private static func json(_ graph: LineageGraph) throws -> String {
        struct Document: Encodable {
            let start: String
            let direction: String
            let runs: [RunRecord]
            let artifacts: [ArtifactRecord]
            let edges: [LineageEdge]
        }
        let start: String
        switch graph.start {
        case .run(let id): start = id
        case .artifact(let digest): start = digest.hex
        }
        let document = Document(
            start: start, direction: graph.direction.rawValue, runs: graph.runs, artifacts: graph.artifacts, edges: graph.edges)
        return try RecordJSON.encode(document)
    }

    private static func dot(_ graph: LineageGraph) -> String {
        func quoted(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        var lines = ["digraph lineage {", "  rankdir=LR;"]
        for artifact in graph.artifacts {
            lines.append(
                "  \(quoted("a:" + artifact.digest.hex)) [shape=box, label=\(quoted("\(artifact.kind)\\n\(artifact.name)\\n\(artifact.digest.hex.prefix(12))"))];"
            )
        }
        for run in graph.runs {
            lines.append("  \(quoted("r:" + run.id)) [shape=ellipse, label=\(quoted("\(run.kind)\\n\(run.name)\\n\(run.id)"))];")
        }
        for edge in graph.edges {
            let (from, to) =
                edge.direction == .input
                ? ("a:" + edge.artifact.hex, "r:" + edge.runID)
                : ("r:" + edge.runID, "a:" + edge.artifact.hex)
            lines.append("  \(quoted(from)) -> \(quoted(to)) [label=\(quoted(edge.role))];")
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }
}
