import FactoryCore
import Foundation

/// The kinds of event a run can record.
public enum RunEventKind: String, Sendable, Codable, CaseIterable {
    /// Replica weights disagreed, a checkpoint failed its digest, data did not match.
    case integrityFault = "integrity-fault"
    /// Replicas were rolled back to a verified checkpoint.
    case rollback
    /// An operation was retried.
    case retry
    /// Something worth a look that did not stop the run.
    case warning
    /// The process doing the run ended without ending it (a signal such as `kill -9`, an
    /// out-of-memory kill, a crash); the run was then ended as killed.
    case died
}

/// A typed record attached to a run.
public struct RunEvent: Hashable, Sendable, Codable {
    /// The run it belongs to.
    public var runID: String
    /// What happened.
    public var kind: RunEventKind
    /// When it happened.
    public var time: Date
    /// The step it happened at, when there is one.
    public var step: Int64?
    /// One line for people.
    public var message: String
    /// Structured details (replica, expected and actual hash, checkpoint, …).
    public var details: [String: String]

    /// An event.
    public init(runID: String, kind: RunEventKind, time: Date, step: Int64? = nil, message: String, details: [String: String] = [:]) {
        self.runID = runID
        self.kind = kind
        self.time = time
        self.step = step
        self.message = message
        self.details = details
    }

    private enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case kind, time, step, message, details
    }
}
