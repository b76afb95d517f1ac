import Dispatch
import Foundation
import Synchronization

/// Turns SIGINT and SIGTERM into a flag the pipeline runner checks between steps, and passes
/// them on to the running command, so that an interrupt stops the current stage cleanly: the
/// command's own atomic writes leave no half-written file, and the runner records the stage as
/// killed instead of dying with it.
public final class InterruptMonitor: Sendable {
    private let state = Mutex<(interrupted: Bool, children: [Int32])>((false, []))
    /// The signal sources, kept alive; written only by ``install()``, which is called once before
    /// the monitor is shared.
    private nonisolated(unsafe) var sources: [any DispatchSourceSignal] = []

    /// A monitor that catches nothing until ``install()``.
    public init() {}

    /// Catches SIGINT and SIGTERM from now on. Call it once, before sharing the monitor.
    public func install() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [self] in
                let children = state.withLock { state -> [Int32] in
                    state.interrupted = true
                    return state.children
                }
                for child in children { kill(child, signalNumber) }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Whether an interrupt arrived.
    public var interrupted: Bool { state.withLock { $0.interrupted } }

    /// Marks the run as interrupted (as a signal would).
    public func interrupt() {
        state.withLock { $0.interrupted = true }
    }

    func watch(_ process: Process) {
        let id = process.processIdentifier
        state.withLock { $0.children.append(id) }
    }

    func unwatch(_ process: Process) {
        let id = process.processIdentifier
        state.withLock { $0.children.removeAll { $0 == id } }
    }
}
