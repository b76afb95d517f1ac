import FactoryCore
import Foundation

/// The lineage records: artifacts, runs, the edges between them, metrics and events.
///
/// `SQLiteLineageStore` is the embedded default; a server-backed store (PostgreSQL) implements
/// the same protocol so that callers do not change. Implementations must be safe to use from
/// many threads and many processes at once, without lost or duplicated rows.
public protocol LineageStore: Sendable {
    /// Records an artifact. Registering a digest that is already recorded changes nothing and
    /// returns the record that was there first.
    @discardableResult
    func registerArtifact(_ artifact: ArtifactRecord) throws -> ArtifactRecord
    /// The record of `digest`, if any.
    func artifact(_ digest: Digest) throws -> ArtifactRecord?
    /// Artifacts whose digest (hex) starts with `digestPrefix`, optionally of one kind, by digest.
    func artifacts(kind: String?, digestPrefix: String) throws -> [ArtifactRecord]

    /// Records a new run.
    ///
    /// - Throws: `FactoryError.invalidArgument` when the id is taken.
    func insertRun(_ run: RunRecord) throws
    /// Ends a running run with `status` at `time`. Ending it again with the same status is a
    /// no-op; any other change of an ended run is an error.
    func endRun(_ id: String, status: RunStatus, at time: Date) throws
    /// The run with `id`, if any.
    func run(_ id: String) throws -> RunRecord?
    /// Runs matching `query`, oldest first (ties by id).
    func runs(_ query: RunQuery) throws -> [RunRecord]

    /// Records that a run used or produced an artifact; both must exist. Idempotent.
    func link(_ edge: LineageEdge) throws
    /// The edges of one run.
    func edges(ofRun id: String) throws -> [LineageEdge]
    /// The edges of one artifact.
    func edges(ofArtifact digest: Digest) throws -> [LineageEdge]
    /// Everything reachable from `start` in `direction`, transitively.
    func graph(from start: LineageNode, direction: TraversalDirection) throws -> LineageGraph

    /// Writes metric points of a run in one transaction. A point already stored with the same
    /// value is skipped, so retrying a batch is safe.
    ///
    /// - Throws: `FactoryError.invalidArgument` when a (key, step) is already stored with a
    ///   different value; nothing of the batch is written then.
    func logMetrics(_ points: [MetricPoint], run id: String) throws
    /// The series of one key of one run, by step.
    func metricSeries(run id: String, key: String) throws -> [MetricPoint]
    /// The point at the highest step of one key of a run, if it has any.
    func finalMetric(run id: String, key: String) throws -> MetricPoint?
    /// The point at the highest step of every key of a run, by key.
    func finalMetrics(run id: String) throws -> [MetricPoint]
    /// The number of stored points of a run (all keys).
    func metricCount(run id: String) throws -> Int

    /// Attaches an event to a run.
    func recordEvent(_ event: RunEvent) throws
    /// The events of a run, in the order they were recorded.
    func events(ofRun id: String) throws -> [RunEvent]

    /// Checks the storage of the records themselves (for SQLite, `PRAGMA integrity_check`) and
    /// lists the problems found, none when it is sound.
    func integrityProblems() throws -> [String]
}

extension LineageStore {
    /// The runs that produced the artifact `digest`, oldest first (ties by id).
    public func runs(producing digest: Digest) throws -> [RunRecord] {
        try edges(ofArtifact: digest)
            .filter { $0.direction == .output }
            .compactMap { try run($0.runID) }
            .sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
    }

    /// The run a user names by its id or a unique prefix of it.
    public func resolveRun(_ reference: String) throws -> RunRecord {
        if let exact = try run(reference) { return exact }
        let matches = try runs(RunQuery(idPrefix: reference))
        switch matches.count {
        case 1: return matches[0]
        case 0: throw FactoryError.invalidArgument(name: "run", message: "no run has an id starting with '\(reference)'")
        default:
            throw FactoryError.invalidArgument(
                name: "run",
                message:
                    "'\(reference)' matches \(matches.count) runs (\(matches.prefix(5).map(\.id).joined(separator: ", ")), …); give more characters")
        }
    }

    /// The artifact a user names by its digest or a unique prefix of its hex (at least 4 characters).
    public func resolveArtifact(_ reference: String) throws -> ArtifactRecord {
        let prefix = reference.lowercased()
        guard prefix.count >= 4, prefix.allSatisfy(\.isHexDigit) else {
            throw FactoryError.invalidArgument(name: "artifact", message: "'\(reference)' is not a digest or a hex prefix of at least 4 characters")
        }
        let matches = try artifacts(kind: nil, digestPrefix: prefix)
        switch matches.count {
        case 1: return matches[0]
        case 0: throw FactoryError.invalidArgument(name: "artifact", message: "no artifact has a digest starting with '\(reference)'")
        default:
            throw FactoryError.invalidArgument(name: "artifact", message: "'\(reference)' matches \(matches.count) artifacts; give more characters")
        }
    }

    /// A run id or an artifact digest (or unique prefix of either) as a graph node.
    ///
    /// A run whose whole id it is stands for itself among the runs (not among artifacts).
    ///
    /// - Throws: when it names nothing, or more than one run or artifact (the message lists
    ///   the candidates).
    public func resolveNode(_ reference: String) throws -> LineageNode {
        let prefix = reference.lowercased()
        let artifactCandidates =
            prefix.count >= 4 && prefix.allSatisfy(\.isHexDigit) ? try artifacts(kind: nil, digestPrefix: prefix) : []
        let runCandidates = try run(reference).map { [$0] } ?? runs(RunQuery(idPrefix: reference))
        let candidates =
            runCandidates.map { (LineageNode.run($0.id), "run \($0.id) (\($0.kind) \($0.name))") }
            + artifactCandidates.map { (LineageNode.artifact($0.digest), "artifact \($0.digest.hex) (\($0.kind) \($0.name))") }
        guard let first = candidates.first else {
            throw FactoryError.invalidArgument(name: "node", message: "'\(reference)' is neither a run id nor an artifact digest in this store")
        }
        guard candidates.count > 1 else { return first.0 }
        let shown = candidates.prefix(10).map(\.1).joined(separator: "; ")
        let more = candidates.count > 10 ? "; and \(candidates.count - 10) more" : ""
        throw FactoryError.invalidArgument(
            name: "node", message: "'\(reference)' is ambiguous: it matches \(candidates.count) records: \(shown)\(more); give more characters")
    }
}
