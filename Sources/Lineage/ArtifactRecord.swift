import FactoryCore
import Foundation

/// What an artifact's bytes are laid out as in the object store.
public enum ArtifactLayout: String, Sendable, Codable, CaseIterable {
    /// One object holding the artifact's bytes.
    case file
    /// A `DirectoryManifest` object listing the member files, each its own object.
    case directory
}

/// The record of one content-addressed artifact.
public struct ArtifactRecord: Hashable, Sendable, Encodable {
    /// SHA-256 of the bytes (of the canonical manifest, for a directory).
    public var digest: Digest
    /// What the artifact is: `dataset`, `shard-set`, `tokenizer`, `checkpoint`, `report`, `config`, …
    public var kind: String
    /// A name for people; not unique.
    public var name: String
    /// File or directory.
    public var layout: ArtifactLayout
    /// Bytes of the file, or of all member files of a directory.
    public var size: Int64
    /// When the artifact was first recorded.
    public var createdAt: Date
    /// Free-form metadata (a table), stored as canonical JSON.
    public var metadata: ConfigValue

    /// A record; `metadata` must be a table.
    public init(
        digest: Digest, kind: String, name: String, layout: ArtifactLayout, size: Int64,
        createdAt: Date, metadata: ConfigValue = .table([:])
    ) throws {
        try Validation.label(kind, field: "artifact kind")
        guard case .table = metadata else {
            throw FactoryError.invalidArgument(name: "artifact metadata", message: "must be a table, found \(metadata.kindName)")
        }
        self.digest = digest
        self.kind = kind
        self.name = name
        self.layout = layout
        self.size = size
        self.createdAt = createdAt
        self.metadata = metadata
    }

    public static func == (lhs: ArtifactRecord, rhs: ArtifactRecord) -> Bool {
        lhs.digest == rhs.digest && lhs.kind == rhs.kind && lhs.name == rhs.name && lhs.layout == rhs.layout
            && lhs.size == rhs.size && lhs.createdAt == rhs.createdAt && lhs.metadata == rhs.metadata
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(digest) }

    private enum CodingKeys: String, CodingKey {
        case digest, kind, name, layout, size
        case createdAt = "created_at"
        case metadata
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(digest, forKey: .digest)
        try container.encode(kind, forKey: .kind)
        try container.encode(name, forKey: .name)
        try container.encode(layout, forKey: .layout)
        try container.encode(size, forKey: .size)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(EncodableConfigValue(metadata), forKey: .metadata)
    }
}
