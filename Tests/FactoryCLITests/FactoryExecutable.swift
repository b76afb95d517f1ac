import FactoryCore
import Foundation
import Synchronization

/// The `factory` executable SwiftPM built next to the test bundle, run as a user would run it:
/// for tests that must see the exit status and the message a user sees (never a trap or a hang).
enum FactoryExecutable {
    /// The folder SwiftPM puts its products in (`factory`, and the test bundle).
    static var productsDirectory: URL {
        #if os(macOS)
            for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
                return bundle.bundleURL.deletingLastPathComponent()
            }
            fatalError("no .xctest bundle found")
        #else
            return Bundle.main.bundleURL
        #endif
    }

    /// The path of the built `factory`.
    static var path: String { productsDirectory.appendingPathComponent("factory").path }

    /// How one run of `factory` ended.
    struct Outcome {
        /// The exit status, or the signal that killed it.
        let status: Int32
        /// Whether it exited (rather than being killed by a signal: a trap or an abort).
        let exited: Bool
        /// Whether the timeout killed it (a hang).
        let timedOut: Bool
        let output: String
        let errors: String

        /// A clean refusal: exited non-zero on its own, with no trap, no hang and no stack trace.
        var refusedCleanly: Bool {
            exited && !timedOut && status != 0 && !errors.contains("Fatal error") && !errors.contains("Stack dump")
        }
    }

    /// Runs `factory` with `arguments`, killing it after `timeout` seconds.
    static func run(_ arguments: [String], timeout: TimeInterval = 120) throws -> Outcome {
        let killed = Mutex(false)
        let outcome = try ChildProcess.run(path, arguments: arguments) { process in
            let deadline = DispatchWorkItem {
                guard process.isRunning else { return }
                killed.withLock { $0 = true }
                kill(process.processIdentifier, SIGKILL)
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: deadline)
            return { deadline.cancel() }
        }
        return Outcome(
            status: outcome.status, exited: outcome.exited, timedOut: killed.withLock { $0 },
            output: String(decoding: outcome.output, as: UTF8.self), errors: String(decoding: outcome.errors, as: UTF8.self))
    }
}
