import FactoryCore
import Foundation
import GRDB

/// The embedded lineage store: one SQLite file in WAL mode (synchronous=NORMAL), shared safely
/// by many threads and processes. Writers take the write lock up front (`BEGIN IMMEDIATE`), wait for it up to the
/// busy timeout, and retry a whole transaction when SQLite still reports the database busy, so
/// concurrent writers neither lose nor duplicate rows.
public final class SQLiteLineageStore: LineageStore {
    /// The database file.
    public let path: String
    private let pool: DatabasePool
    private let rows: SQLiteRows
    private let retry: StoreRetry

    /// Opens (creating when missing) the database at `path` and brings its schema up to date.
    ///
    /// - Parameters:
    ///   - busyTimeout: seconds a statement waits for another process's lock before failing.
    ///   - retry: how often a transaction that still fails with "busy" is tried again.
    public init(path: String, busyTimeout: TimeInterval = 30, retry: StoreRetry = StoreRetry()) throws {
        self.path = path
        self.rows = SQLiteRows(path: path)
        self.retry = retry
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.label = "lineage"
        // WAL with synchronous=NORMAL: a crash cannot corrupt the database; a power cut may lose
        // the last commits but never a part of one.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        // Processes that open a new store at the same moment (a sweep's first proxies) would
        // race to create the schema; an exclusive file lock makes opening one at a time.
        let lock = try ProcessLock(path: path + ".lock")
        defer { lock.release() }
        let pool = try retry.run(path: path, operation: "open the lineage database") {
            try DatabasePool(path: path, configuration: configuration)
        }
        try retry.run(path: path, operation: "migrate the lineage schema") {
            try SQLiteSchema.migrator.migrate(pool)
        }
        self.pool = pool
    }

    private func write<T>(_ operation: String, _ body: @escaping (Database) throws -> T) throws -> T {
        try retry.run(path: path, operation: operation) { try pool.write(body) }
    }

    private func read<T>(_ operation: String, _ body: @escaping (Database) throws -> T) throws -> T {
        try retry.run(path: path, operation: operation) { try pool.read(body) }
    }

    // MARK: Artifacts

    @discardableResult
    public func registerArtifact(_ artifact: ArtifactRecord) throws -> ArtifactRecord {
        let metadata = try CanonicalJSON.encode(artifact.metadata)
        return try write("record artifact \(artifact.digest.hex)") { db in
            try db.execute(
                sql: """
                    INSERT INTO artifacts (digest, kind, name, layout, size, created_at, metadata)
                    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (digest) DO NOTHING
                    """,
                arguments: [
                    artifact.digest.hex, artifact.kind, artifact.name, artifact.layout.rawValue,
                    artifact.size, artifact.createdAt.timeIntervalSince1970, metadata,
                ])
            let row = try Row.fetchOne(db, sql: "SELECT * FROM artifacts WHERE digest = ?", arguments: [artifact.digest.hex])!
            return try self.rows.artifact(row)
        }
    }

    public func artifact(_ digest: Digest) throws -> ArtifactRecord? {
        try read("read artifact \(digest.hex)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM artifacts WHERE digest = ?", arguments: [digest.hex]).map(self.rows.artifact)
        }
    }

    public func artifacts(kind: String?, digestPrefix: String) throws -> [ArtifactRecord] {
        let prefix = digestPrefix.lowercased()
        guard prefix.allSatisfy(\.isHexDigit) else { return [] }
        return try read("list artifacts") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM artifacts WHERE digest GLOB ? AND (? IS NULL OR kind = ?) ORDER BY digest",
                arguments: [prefix + "*", kind, kind]
            ).map(self.rows.artifact)
        }
    }

    // MARK: Runs

    public func insertRun(_ run: RunRecord) throws {
        try write("record run \(run.id)") { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM runs WHERE id = ?", arguments: [run.id]) != nil {
                throw FactoryError.invalidArgument(name: "run id", message: "a run with id '\(run.id)' already exists")
            }
            try db.execute(
                sql: """
                    INSERT INTO runs (id, kind, name, status, config, config_digest, seed, factory_version, git_commit,
                                      git_diff_digest, executable_digest, host, started_at, ended_at, pid, process_start)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    run.id, run.kind, run.name, run.status.rawValue, run.config.canonicalText, run.config.digest.hex,
                    run.seed, run.provenance.factoryVersion, run.provenance.gitCommit, run.provenance.gitDiffDigest?.hex,
                    run.provenance.executableDigest?.hex, run.provenance.host, run.startedAt.timeIntervalSince1970,
                    run.endedAt?.timeIntervalSince1970, run.process?.pid, run.process?.start,
                ])
            for tag in run.tags {
                try db.execute(sql: "INSERT INTO run_tags (run_id, tag) VALUES (?, ?)", arguments: [run.id, tag])
            }
        }
    }

    public func endRun(_ id: String, status: RunStatus, at time: Date) throws {
        guard status != .running else {
            throw FactoryError.invalidArgument(name: "status", message: "a run ends as finished, failed or killed, not running")
        }
        try write("end run \(id)") { db in
            guard let current = try String.fetchOne(db, sql: "SELECT status FROM runs WHERE id = ?", arguments: [id]) else {
                throw FactoryError.invalidArgument(name: "run", message: "no run with id '\(id)'")
            }
            if current == status.rawValue { return }
            guard current == RunStatus.running.rawValue else {
                throw FactoryError.invalidArgument(name: "status", message: "run \(id) already ended as \(current)")
            }
            try db.execute(
                sql: "UPDATE runs SET status = ?, ended_at = ? WHERE id = ?",
                arguments: [status.rawValue, time.timeIntervalSince1970, id])
        }
    }

    public func run(_ id: String) throws -> RunRecord? {
        try read("read run \(id)") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [id]) else { return nil }
            let tags = try String.fetchAll(db, sql: "SELECT tag FROM run_tags WHERE run_id = ? ORDER BY tag", arguments: [id])
            return try self.rows.run(row, tags: tags)
        }
    }

    public func runs(_ query: RunQuery) throws -> [RunRecord] {
        if let prefix = query.idPrefix, (try? Validation.runID(prefix)) == nil { return [] }
        return try read("list runs") { db in
            let runRows = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM runs
                    WHERE (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR id GLOB ?3 || '*')
                      AND (?4 IS NULL OR EXISTS (SELECT 1 FROM run_tags t WHERE t.run_id = runs.id AND t.tag = ?4))
                    ORDER BY started_at, id
                    """,
                arguments: [query.kind, query.status?.rawValue, query.idPrefix, query.tag])
            return try self.runs(runRows, db)
        }
    }

    /// Records for run rows, with their tags.
    private func runs(_ runRows: [Row], _ db: Database) throws -> [RunRecord] {
        let ids = try CanonicalJSON.encode(.array(runRows.map { .string($0["id"]) }))
        var tagsByRun = [String: [String]]()
        for row in try Row.fetchAll(
            db, sql: "SELECT run_id, tag FROM run_tags WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY run_id, tag",
            arguments: [ids])
        {
            tagsByRun[row["run_id"], default: []].append(row["tag"])
        }
        return try runRows.map { try rows.run($0, tags: tagsByRun[$0["id"]] ?? []) }
    }

    // MARK: Edges

    public func link(_ edge: LineageEdge) throws {
        try write("link run \(edge.runID) and artifact \(edge.artifact.hex)") { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM runs WHERE id = ?", arguments: [edge.runID]) != nil else {
                throw FactoryError.invalidArgument(name: "run", message: "no run with id '\(edge.runID)'")
            }
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM artifacts WHERE digest = ?", arguments: [edge.artifact.hex]) != nil else {
                throw FactoryError.invalidArgument(name: "artifact", message: "no artifact \(edge.artifact.hex) is recorded")
            }
            try db.execute(
                sql: "INSERT INTO edges (run_id, artifact, direction, role) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                arguments: [edge.runID, edge.artifact.hex, edge.direction.rawValue, edge.role])
        }
    }

    public func edges(ofRun id: String) throws -> [LineageEdge] {
        try read("read the edges of run \(id)") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM edges WHERE run_id = ? ORDER BY direction, artifact, role", arguments: [id])
                .map(self.rows.edge)
        }
    }

    public func edges(ofArtifact digest: Digest) throws -> [LineageEdge] {
        try read("read the edges of artifact \(digest.hex)") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM edges WHERE artifact = ? ORDER BY run_id, direction, role", arguments: [digest.hex]
            ).map(self.rows.edge)
        }
    }

    public func graph(from start: LineageNode, direction: TraversalDirection) throws -> LineageGraph {
        try read("walk the lineage \(direction.rawValue) of \(start)") { db in
            let (kind, id): (String, String)
            switch start {
            case .run(let runID): (kind, id) = ("run", runID)
            case .artifact(let digest): (kind, id) = ("artifact", digest.hex)
            }
            // Upstream: artifact <- run that output it; run <- artifacts it took as input.
            // Downstream: artifact -> runs that took it as input; run -> artifacts it output.
            let (fromArtifact, fromRun) = direction == .upstream ? ("output", "input") : ("input", "output")
            let reached = try Row.fetchAll(
                db,
                sql: """
                    WITH RECURSIVE reach(kind, id) AS (
                        VALUES (?1, ?2)
                        UNION
                        SELECT 'run', e.run_id FROM reach JOIN edges e
                            ON reach.kind = 'artifact' AND e.artifact = reach.id AND e.direction = ?3
                        UNION
                        SELECT 'artifact', e.artifact FROM reach JOIN edges e
                            ON reach.kind = 'run' AND e.run_id = reach.id AND e.direction = ?4
                    )
                    SELECT kind, id FROM reach
                    """,
                arguments: [kind, id, fromArtifact, fromRun])
            var runIDs = [String]()
            var digests = [String]()
            for row in reached {
                if row["kind"] as String == "run" { runIDs.append(row["id"]) } else { digests.append(row["id"]) }
            }
            let runList = try CanonicalJSON.encode(.array(runIDs.map { .string($0) }))
            let digestList = try CanonicalJSON.encode(.array(digests.map { .string($0) }))
            let runs = try self.runs(
                Row.fetchAll(db, sql: "SELECT * FROM runs WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id", arguments: [runList]),
                db)
            let artifacts = try Row.fetchAll(
                db, sql: "SELECT * FROM artifacts WHERE digest IN (SELECT value FROM json_each(?)) ORDER BY digest",
                arguments: [digestList]
            ).map(self.rows.artifact)
            let edges = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM edges
                    WHERE run_id IN (SELECT value FROM json_each(?1)) AND artifact IN (SELECT value FROM json_each(?2))
                    ORDER BY run_id, direction, artifact, role
                    """,
                arguments: [runList, digestList]
            ).map(self.rows.edge)
            return LineageGraph(start: start, direction: direction, runs: runs, artifacts: artifacts, edges: edges)
        }
    }

    // MARK: Metrics

    public func logMetrics(_ points: [MetricPoint], run id: String) throws {
        for point in points { try Validation.label(point.key, field: "metric key") }
        try write("log \(points.count) metric points of run \(id)") { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM runs WHERE id = ?", arguments: [id]) != nil else {
                throw FactoryError.invalidArgument(name: "run", message: "no run with id '\(id)'")
            }
            let insert = try db.cachedStatement(
                sql: "INSERT INTO metrics (run_id, key, step, value, wall_time) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
            let existing = try db.cachedStatement(sql: "SELECT * FROM metrics WHERE run_id = ? AND key = ? AND step = ?")
            for point in points {
                try insert.execute(arguments: [
                    id, point.key, point.step, point.value.isNaN ? nil : point.value,
                    point.wallTime.timeIntervalSince1970,
                ])
                guard db.changesCount == 0 else { continue }
                let stored = try Row.fetchOne(existing, arguments: [id, point.key, point.step]).map(self.rows.metric)
                if let stored, !stored.isSameMeasurement(as: point) {
                    throw FactoryError.invalidArgument(
                        name: "metric \(point.key)",
                        message: "run \(id) already has \(stored.value) at step \(point.step); refusing to overwrite it with \(point.value)")
                }
            }
        }
    }

    public func metricSeries(run id: String, key: String) throws -> [MetricPoint] {
        try read("read metric \(key) of run \(id)") { db in
            try Row.fetchAll(
                db, sql: "SELECT key, step, value, wall_time FROM metrics WHERE run_id = ? AND key = ? ORDER BY step",
                arguments: [id, key]
            ).map(self.rows.metric)
        }
    }

    public func finalMetric(run id: String, key: String) throws -> MetricPoint? {
        try read("read the final \(key) of run \(id)") { db in
            try Row.fetchOne(
                db, sql: "SELECT key, step, value, wall_time FROM metrics WHERE run_id = ? AND key = ? ORDER BY step DESC LIMIT 1",
                arguments: [id, key]
            ).map(self.rows.metric)
        }
    }

    public func finalMetrics(run id: String) throws -> [MetricPoint] {
        try read("read the final metrics of run \(id)") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT m.key, m.step, m.value, m.wall_time FROM metrics m
                    JOIN (SELECT key, MAX(step) AS step FROM metrics WHERE run_id = ?1 GROUP BY key) last
                      ON m.key = last.key AND m.step = last.step
                    WHERE m.run_id = ?1 ORDER BY m.key
                    """,
                arguments: [id]
            ).map(self.rows.metric)
        }
    }

    public func metricCount(run id: String) throws -> Int {
        try read("count the metrics of run \(id)") { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM metrics WHERE run_id = ?", arguments: [id]) ?? 0
        }
    }

    // MARK: Events

    public func recordEvent(_ event: RunEvent) throws {
        let details = try CanonicalJSON.encode(.table(event.details.mapValues { .string($0) }))
        try write("record a \(event.kind.rawValue) event of run \(event.runID)") { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM runs WHERE id = ?", arguments: [event.runID]) != nil else {
                throw FactoryError.invalidArgument(name: "run", message: "no run with id '\(event.runID)'")
            }
            try db.execute(
                sql: "INSERT INTO events (run_id, kind, time, step, message, details) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [event.runID, event.kind.rawValue, event.time.timeIntervalSince1970, event.step, event.message, details])
        }
    }

    /// `PRAGMA integrity_check`: every page, index and constraint of the database file; the
    /// lines it reports (or the error that stopped it on a badly damaged file), none when the
    /// file is sound.
    public func integrityProblems() throws -> [String] {
        do {
            return try read("check the integrity of the database") { db in
                try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
            }
        } catch FactoryError.corrupt(_, let reason) {
            return [reason]
        }
    }

    public func events(ofRun id: String) throws -> [RunEvent] {
        try read("read the events of run \(id)") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM events WHERE run_id = ? ORDER BY id", arguments: [id]).map(self.rows.event)
        }
    }
}
