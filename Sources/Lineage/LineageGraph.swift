import FactoryCore

/// A node of the lineage graph: a run or an artifact.
public enum LineageNode: Hashable, Sendable, CustomStringConvertible {
    /// A run, by id.
    case run(String)
    /// An artifact, by digest.
    case artifact(Digest)

    public var description: String {
        switch self {
        case .run(let id): return "run \(id)"
        case .artifact(let digest): return "artifact \(digest.hex)"
        }
    }
}

/// Which way to walk the lineage graph.
public enum TraversalDirection: String, Sendable, CaseIterable {
    /// Toward what made the start: producing runs, their inputs, what produced those, …
    case upstream
    /// Toward what was made from the start: consuming runs, their outputs, …
    case downstream
}

/// The part of the lineage graph reachable from one node in one direction (the start included),
/// with every edge between the nodes it holds.
public struct LineageGraph: Hashable, Sendable {
    /// Where the walk started.
    public var start: LineageNode
    /// Which way it walked.
    public var direction: TraversalDirection
    /// The runs reached, by id order.
    public var runs: [RunRecord]
    /// The artifacts reached, by digest order.
    public var artifacts: [ArtifactRecord]
    /// Edges whose run and artifact are both in the graph, in (run, direction, artifact, role) order.
    public var edges: [LineageEdge]

    /// A graph.
    public init(start: LineageNode, direction: TraversalDirection, runs: [RunRecord], artifacts: [ArtifactRecord], edges: [LineageEdge]) {
        self.start = start
        self.direction = direction
        self.runs = runs
        self.artifacts = artifacts
        self.edges = edges
    }
}
