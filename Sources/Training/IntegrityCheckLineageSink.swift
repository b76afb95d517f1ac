import Foundation
import Lineage

/// Records a replicated trainer's integrity events as `RunEvent`s of a run in the lineage store.
public struct IntegrityCheckLineageSink: IntegrityCheckSink {
    /// The store the events go to.
    public let store: any LineageStore
    /// The run the events belong to.
    public let runID: String

    /// A sink writing to `runID` in `store`.
    public init(store: any LineageStore, runID: String) {
        self.store = store
        self.runID = runID
    }

    public func record(kind: RunEventKind, step: Int, message: String, details: [String: String]) throws {
        try store.recordEvent(RunEvent(runID: runID, kind: kind, time: Date(), step: Int64(step), message: message, details: details))
    }
}
