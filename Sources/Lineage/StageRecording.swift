import FactoryCore
import Foundation

/// What ``FactoryStore/recordStage(kind:name:config:inputs:body:)`` recorded for a stage that
/// finished.
public struct StageRecord: Sendable {
    /// The run, as it was started (it has ended `finished` in the store).
    public let run: RunRecord
    /// The input artifacts, in the order given.
    public let inputs: [ArtifactRecord]
    /// The output artifacts, in the order the stage returned them.
    public let outputs: [ArtifactRecord]
}

extension FactoryStore {
    /// Runs one pipeline stage and records it: a run of `kind` with `config` and this process's
    /// provenance, the `inputs` stored and linked as used before `body` runs, and the artifacts
    /// `body` returns stored and linked as produced after it. The run ends `finished`, or
    /// `failed` when recording an input, the stage itself or recording an output throws; the
    /// error is rethrown.
    ///
    /// Artifacts are content-addressed, so an output of one stage that another stage reads
    /// (the same bytes) is the same artifact, and upstream queries walk from stage to stage.
    public func recordStage(
        kind: String, name: String, config: RunConfig, inputs: [StageArtifact], body: () throws -> [StageArtifact]
    ) throws -> StageRecord {
        let run = try startRun(kind: kind, name: name, config: config)
        do {
            let used = try inputs.map { try record($0, run: run.id, direction: .input) }
            let produced = try body().map { try record($0, run: run.id, direction: .output) }
            try records.endRun(run.id, status: .finished, at: Date())
            return StageRecord(run: run, inputs: used, outputs: produced)
        } catch {
            try? records.endRun(run.id, status: .failed, at: Date())
            throw error
        }
    }

    /// Stores one artifact and links it to the run.
    private func record(_ artifact: StageArtifact, run id: String, direction: EdgeDirection) throws -> ArtifactRecord {
        let stored: ArtifactRecord
        switch artifact.content {
        case .path(let path):
            stored = try addArtifact(atPath: path, kind: artifact.kind, name: artifact.name, metadata: artifact.metadata)
        case .listing(let root, let files):
            let listing = try FileListing(root: root, files: files)
            var metadata = artifact.metadata
            if case .table(var table) = metadata {
                table["root"] = .string(root)
                table["files"] = .integer(listing.entries.count)
                table["bytes"] = .integer(Int(listing.totalSize))
                metadata = .table(table)
            }
            stored = try addArtifact(
                bytes: Array(listing.canonicalText.utf8), kind: artifact.kind,
                name: artifact.name ?? URL(fileURLWithPath: root).lastPathComponent, metadata: metadata)
        }
        try records.link(LineageEdge(runID: id, artifact: stored.digest, direction: direction, role: artifact.role))
        return stored
    }
}
