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
    ///
    /// - Throws: ``FactoryError/corrupt(path:reason:)`` when the database is missing or empty
    ///   while `objects` holds stored objects: a new database would orphan them.
    public static func open(root: String) throws -> FactoryStore {
        try FileSystem.createDirectory(root)
        let database = "\(root)/lineage.sqlite"
        try refuseOrphaningObjects(database: database, objects: "\(root)/objects")
        return FactoryStore(root: root, objects: try ObjectStore(root: "\(root)/objects"), records: try SQLiteLineageStore(path: database))
    }

    /// Refuses to start a new database (missing, or zero bytes with no write-ahead log) over an
    /// objects folder that already holds objects: those were recorded in a database that is
    /// gone, and a fresh one would silently forget them.
    private static func refuseOrphaningObjects(database: String, objects: String) throws {
        guard FileSystem.sizeIfPresent(database) ?? 0 == 0, FileSystem.sizeIfPresent(database + "-wal") ?? 0 == 0 else { return }
        let stored = ((try? FileManager.default.contentsOfDirectory(atPath: objects)) ?? []).filter { !$0.hasPrefix(".") }
        guard !stored.isEmpty else { return }
        let state = FileSystem.sizeIfPresent(database) == nil ? "is missing" : "is empty (0 bytes)"
        throw FactoryError.corrupt(
            path: database,
            reason:
                "it \(state) while \(objects) holds stored objects; a new database would orphan them. Restore the database from a backup, or move the objects folder away to start a new store"
        )
    }

    /// Stores a file or a directory (with its manifest) and records it as an artifact. Adding
    /// the same content again stores nothing new and returns the existing record.
    @discardableResult
    public func addArtifact(
        atPath path: String, kind: String, name: String? = nil, metadata: ConfigValue = .table([:]), createdAt: Date = Date()
    ) throws -> ArtifactRecord {
        let displayName = name ?? URL(fileURLWithPath: path).lastPathComponent
        if try FileKind.of(path, name: "artifact") == .folder {
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

    /// Records a new running run with the provenance of this process (unless given), done by
    /// `process` (this one unless given; `nil` for a run that outlives the process recording it).
    public func startRun(
        kind: String, name: String, config: RunConfig = .empty, seed: Int? = nil, tags: [String] = [],
        id: String = RunRecord.newID(), provenance: CodeProvenance = .capture(), process: ProcessIdentity? = .current,
        startedAt: Date = Date()
    ) throws -> RunRecord {
        let run = try RunRecord(
            id: id, kind: kind, name: name, config: config, seed: seed, tags: tags, provenance: provenance, process: process,
            startedAt: startedAt)
        try records.insertRun(run)
        return run
    }

    /// Ends as killed, with a `died` event, every run still marked running whose process on this
    /// host is gone (killed by a signal, out of memory, crashed), and returns them as they were.
    /// Runs of other hosts, and runs recorded without a process, are left alone.
    @discardableResult
    public func endRunsOfDeadProcesses(host: String = HostInfo.hostName, now: Date = Date()) throws -> [RunRecord] {
        var ended = [RunRecord]()
        for run in try records.runs(RunQuery(status: .running)) where run.provenance.host == host {
            guard let process = run.process, !process.isRunning else { continue }
            do {
                try records.endRun(run.id, status: .killed, at: now)
            } catch FactoryError.invalidArgument {
                continue  // another process ended it meanwhile
            }
            try records.recordEvent(
                RunEvent(
                    runID: run.id, kind: .died, time: now,
                    message: "process \(process.pid) on \(host) ended without ending the run (killed by a signal or crashed)",
                    details: ["pid": String(process.pid), "host": host]))
            ended.append(run)
        }
        return ended
    }
}
