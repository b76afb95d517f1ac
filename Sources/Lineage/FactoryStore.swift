import FactoryCore
import Foundation

/// The factory's store: content-addressed objects under `ROOT/objects` and the lineage records
/// (by default `ROOT/lineage.sqlite`). This is what pipelines, trainers and the CLI use to record
/// artifacts and runs.
public struct FactoryStore: Sendable {
    /// The store's root directory (`.factory` by default, see `StoreLocation`).
    public let root: String
    /// The artifact bytes.
    public let objects: ObjectStore
    /// The records.
    public let records: any LineageStore

    /// A store over given parts, for other record back ends.
    public init(root: String, objects: ObjectStore, records: any LineageStore) {
        self.root = root
        self.objects = objects
        self.records = records
    }

    /// Opens (creating when missing) the store at `root` with the SQLite record store.
    public static func open(root: String) throws -> FactoryStore {
        try FileSystem.createDirectory(root)
        return FactoryStore(
            root: root, objects: try ObjectStore(root: "\(root)/objects"),
            records: try SQLiteLineageStore(path: "\(root)/lineage.sqlite"))
    }

    /// Stores a file or a directory (with its manifest) and records it as an artifact. Adding
    /// the same content again stores nothing new and returns the existing record.
    @discardableResult
    public func addArtifact(
        atPath path: String, kind: String, name: String? = nil, metadata: ConfigValue = .table([:]), createdAt: Date = Date()
    ) throws -> ArtifactRecord {
        let displayName = name ?? URL(fileURLWithPath: path).lastPathComponent
        if FileSystem.isDirectory(path) {
            let manifest = try objects.putDirectory(atPath: path)
            return try records.registerArtifact(
                ArtifactRecord(
                    digest: manifest.digest, kind: kind, name: displayName, layout: .directory, size: manifest.totalSize,
                    createdAt: createdAt, metadata: metadata))
        }
        let stored = try objects.putFile(atPath: path)
        return try records.registerArtifact(
            ArtifactRecord(
                digest: stored.digest, kind: kind, name: displayName, layout: .file, size: stored.size,
                createdAt: createdAt, metadata: metadata))
    }

    /// Stores bytes and records them as an artifact.
    @discardableResult
    public func addArtifact<Bytes: DataProtocol>(
        bytes: Bytes, kind: String, name: String, metadata: ConfigValue = .table([:]), createdAt: Date = Date()
    ) throws -> ArtifactRecord {
        let digest = try objects.put(bytes)
        return try records.registerArtifact(
            ArtifactRecord(
                digest: digest, kind: kind, name: name, layout: .file, size: Int64(bytes.count), createdAt: createdAt,
                metadata: metadata))
    }

    /// Re-hashes an artifact's objects; the problems found (missing or corrupt objects) are
    /// listed, none when it is intact.
    public func verify(_ artifact: ArtifactRecord) -> [FactoryError] {
        objects.verify(artifact.digest, layout: artifact.layout)
    }

    /// Records a new running run with the provenance of this process (unless given).
    public func startRun(
        kind: String, name: String, config: RunConfig = .empty, seed: Int? = nil, tags: [String] = [],
        id: String = RunRecord.newID(), provenance: CodeProvenance = .capture(), startedAt: Date = Date()
    ) throws -> RunRecord {
        let run = try RunRecord(
            id: id, kind: kind, name: name, config: config, seed: seed, tags: tags, provenance: provenance, startedAt: startedAt)
        try records.insertRun(run)
        return run
    }
}
