import Foundation
import Lineage
import Training

/// Records a replicated trainer's integrity events as `RunEvent`s of a run in the lineage store,
/// and echoes each as a line (`integrity-fault at step 40: …`) when given somewhere to write.
public struct IntegrityCheckLineageSink: IntegrityCheckSink {
    /// The store the events go to.
    public let store: any LineageStore
    /// The run the events belong to.
    public let runID: String
    /// Where each event is also written as one line, if anywhere.
    public let echo: (@Sendable (String) -> Void)?

    /// A sink writing to `runID` in `store`, and each event's line to `echo`.
    public init(store: any LineageStore, runID: String, echo: (@Sendable (String) -> Void)? = nil) {
        self.store = store
        self.runID = runID
        self.echo = echo
    }

    public func record(kind: IntegrityEventKind, step: Int, message: String, details: [String: String]) throws {
        let eventKind: RunEventKind =
            switch kind {
            case .integrityFault: .integrityFault
            case .rollback: .rollback
            case .warning, .skippedStep: .warning
            }
        try store.recordEvent(RunEvent(runID: runID, kind: eventKind, time: Date(), step: Int64(step), message: message, details: details))
        echo?("\(eventKind.rawValue) at step \(step): \(message)\n")
    }
}
