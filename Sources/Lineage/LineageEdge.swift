import FactoryCore

/// Which way an edge between a run and an artifact points.
public enum EdgeDirection: String, Sendable, Codable, CaseIterable {
    /// The run read the artifact.
    case input
    /// The run wrote the artifact.
    case output
}

/// A run used (input) or produced (output) an artifact, in a role.
public struct LineageEdge: Hashable, Sendable, Encodable {
    /// The run.
    public var runID: String
    /// The artifact's digest.
    public var artifact: Digest
    /// Input or output.
    public var direction: EdgeDirection
    /// What the artifact is to the run: `train-data`, `tokenizer`, `init`, `checkpoint`, …
    public var role: String

    /// An edge; the role must be a short label.
    public init(runID: String, artifact: Digest, direction: EdgeDirection, role: String) throws {
        try Validation.runID(runID)
        try Validation.label(role, field: "role")
        self.runID = runID
        self.artifact = artifact
        self.direction = direction
        self.role = role
    }

    private enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case artifact, direction, role
    }
}
