import FactoryCore

/// A file or folder that a pipeline stage reads or writes, as ``FactoryStore/recordStage(kind:name:config:inputs:body:)``
/// records it: what it is (`kind`), what it is to the run (`role`) and how its content is captured.
public struct StageArtifact: Sendable {
    /// How the artifact's content is captured.
    public enum Content: Sendable {
        /// The file or folder at this path, stored whole in the object store.
        case path(String)
        /// Files under a root, identified by a ``FileListing`` that is stored instead of their
        /// bytes (for large system folders that the store should not copy).
        case listing(root: String, files: [String])
    }

    /// What is captured.
    public var content: Content
    /// The artifact kind: `dataset`, `corpus`, `tokenizer`, `shard-set`, `config`, `source`, …
    public var kind: String
    /// What the artifact is to the run: `corpus`, `train-data`, `tokenizer`, `config`, …
    public var role: String
    /// A name for people (default: the path's last component).
    public var name: String?
    /// Metadata recorded with the artifact (a table).
    public var metadata: ConfigValue

    /// A file or folder stored whole.
    public init(path: String, kind: String, role: String, name: String? = nil, metadata: ConfigValue = .table([:])) {
        self.init(content: .path(path), kind: kind, role: role, name: name, metadata: metadata)
    }

    /// Files under `root` recorded by a listing of their digests, without copying them.
    public init(
        listing files: [String], under root: String, kind: String, role: String, name: String,
        metadata: ConfigValue = .table([:])
    ) {
        self.init(content: .listing(root: root, files: files), kind: kind, role: role, name: name, metadata: metadata)
    }

    private init(content: Content, kind: String, role: String, name: String?, metadata: ConfigValue) {
        self.content = content
        self.kind = kind
        self.role = role
        self.name = name
        self.metadata = metadata
    }
}
