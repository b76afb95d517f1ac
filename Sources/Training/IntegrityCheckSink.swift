/// What a replicated trainer reports about its integrity checks.
public enum IntegrityEventKind: String, Sendable {
    /// Replica hashes differed.
    case integrityFault = "integrity-fault"
    /// Every replica went back to the last verified state.
    case rollback
    /// The replay after a rollback named (or could not name) the odd replica.
    case warning
    /// A step with a non-finite loss or gradient norm was skipped (`train.skip_nonfinite_steps`).
    case skippedStep = "skipped-step"
}

/// Where a replicated trainer reports integrity faults and rollbacks (a run's events in the
/// lineage store, or a test's recorder).
public protocol IntegrityCheckSink: Sendable {
    /// Records one event of `kind` at `step`, with details.
    func record(kind: IntegrityEventKind, step: Int, message: String, details: [String: String]) throws
}
