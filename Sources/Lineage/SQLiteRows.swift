import FactoryCore
import Foundation
import GRDB

/// Turns database rows into records; every failure names the database file, table and column.
struct SQLiteRows {
    let path: String

    private func corrupt(_ table: String, _ column: String, _ detail: String) -> FactoryError {
        .corrupt(path: path, reason: "table \(table), column \(column): \(detail)")
    }

    private func digest(_ text: String?, _ table: String, _ column: String) throws -> Digest? {
        guard let text else { return nil }
        do {
            return try Digest(hex: text)
        } catch {
            throw corrupt(table, column, "'\(text)' is not a digest")
        }
    }

    func artifact(_ row: Row) throws -> ArtifactRecord {
        let digestText: String = row["digest"]
        let layoutText: String = row["layout"]
        guard let layout = ArtifactLayout(rawValue: layoutText) else { throw corrupt("artifacts", "layout", "'\(layoutText)'") }
        let metadata = try CanonicalJSON.decode(row["metadata"], source: "\(path): artifacts.metadata of \(digestText)")
        return try ArtifactRecord(
            digest: digest(digestText, "artifacts", "digest")!, kind: row["kind"], name: row["name"], layout: layout,
            size: row["size"], createdAt: Date(timeIntervalSince1970: row["created_at"]), metadata: metadata)
    }

    func run(_ row: Row, tags: [String]) throws -> RunRecord {
        let id: String = row["id"]
        let statusText: String = row["status"]
        guard let status = RunStatus(rawValue: statusText) else { throw corrupt("runs", "status", "'\(statusText)' for run \(id)") }
        let config = try RunConfig(json: row["config"], source: "\(path): runs.config of \(id)")
        let storedDigest: String = row["config_digest"]
        guard config.digest.hex == storedDigest else {
            throw corrupt("runs", "config_digest", "run \(id)'s config hashes to \(config.digest.hex), recorded \(storedDigest)")
        }
        let provenance = CodeProvenance(
            factoryVersion: row["factory_version"], gitCommit: row["git_commit"],
            gitDiffDigest: try digest(row["git_diff_digest"], "runs", "git_diff_digest"),
            executableDigest: try digest(row["executable_digest"], "runs", "executable_digest"), host: row["host"])
        let ended: Double? = row["ended_at"]
        let pid: Int32? = row["pid"]
        return try RunRecord(
            id: id, kind: row["kind"], name: row["name"], status: status, config: config, seed: row["seed"], tags: tags,
            provenance: provenance, process: pid.map { ProcessIdentity(pid: $0, start: row["process_start"]) },
            startedAt: Date(timeIntervalSince1970: row["started_at"]),
            endedAt: ended.map(Date.init(timeIntervalSince1970:)))
    }

    func edge(_ row: Row) throws -> LineageEdge {
        let directionText: String = row["direction"]
        guard let direction = EdgeDirection(rawValue: directionText) else { throw corrupt("edges", "direction", "'\(directionText)'") }
        return try LineageEdge(
            runID: row["run_id"], artifact: digest(row["artifact"], "edges", "artifact")!, direction: direction, role: row["role"])
    }

    func metric(_ row: Row) -> MetricPoint {
        // SQLite stores NaN as NULL.
        let value: Double? = row["value"]
        return MetricPoint(key: row["key"], step: row["step"], value: value ?? .nan, wallTime: Date(timeIntervalSince1970: row["wall_time"]))
    }

    func event(_ row: Row) throws -> RunEvent {
        let kindText: String = row["kind"]
        guard let kind = RunEventKind(rawValue: kindText) else { throw corrupt("events", "kind", "'\(kindText)'") }
        let detailsValue = try CanonicalJSON.decode(row["details"], source: "\(path): events.details")
        var details = [String: String]()
        if case .table(let entries) = detailsValue {
            for (key, value) in entries { details[key] = value.plainText }
        }
        return RunEvent(
            runID: row["run_id"], kind: kind, time: Date(timeIntervalSince1970: row["time"]), step: row["step"],
            message: row["message"], details: details)
    }
}
