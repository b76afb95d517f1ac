import Lineage

/// Where a replicated trainer reports integrity faults and rollbacks (the lineage store's run
/// events, or a test's recorder).
public protocol IntegrityCheckSink: Sendable {
    /// Records one event: `.integrityFault` or `.rollback`, at `step`, with details.
    func record(kind: RunEventKind, step: Int, message: String, details: [String: String]) throws
}
