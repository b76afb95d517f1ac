import FactoryCore
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Sandbox {
    /// Runs `command` (its first element a path inside the sandbox, such as `/usr/bin/python3`)
    /// in a fresh sandbox with `files` written into its `/tmp`, under `limits`, to its end.
    /// Whatever the command does, this returns once every process of the sandbox is gone; a
    /// command that runs past the wall clock, or writes more than the output limit to either
    /// stream, is killed with its sandbox. Safe to call from several threads at once.
    ///
    /// - Throws: `FactoryError.invalidArgument` for limits out of range, an empty command or a
    ///   bad file; `FactoryError.io` naming `bwrap` when the sandbox could not be set up (with
    ///   what bwrap said). How the command ended is never an error.
    public func run(_ command: [String], files: [SandboxFile] = [], limits: SandboxLimits) throws -> SandboxResult {
        try limits.validate { key, message in .invalidArgument(name: "sandbox limit \(key)", message: message) }
        let (program, arguments) = try commandLine(command, files: files, limits: limits)
        let marker = Data(Self.readyMarker.utf8)
        let watch = SandboxWatch(outputLimit: limits.outputBytes, markerBytes: marker.count)
        let start = ContinuousClock.now
        let outcome = try ChildProcess.run(
            program, arguments: arguments, output: .stream { watch.receive($0, onOutput: true) },
            errors: .stream { watch.receive($0, onOutput: false) }
        ) { process in
            watch.started(pid: process.processIdentifier)
            let alarm = DispatchWorkItem { watch.stop(.wallClock) }
            DispatchQueue.global().asyncAfter(deadline: .now() + limits.wallSeconds, execute: alarm)
            return {
                alarm.cancel()
                watch.ended()
            }
        }
        let elapsed = start.duration(to: .now)
        let seen = watch.finish()
        let wallSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        guard seen.output.starts(with: marker) || seen.stop != nil else {
            let said = String(decoding: seen.errors, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw FactoryError.io(
                path: bubblewrap, operation: "start a sandbox", reason: "it \(outcome.description)\(said.isEmpty ? "" : ": \(said)")")
        }
        let termination: SandboxResult.Termination
        if !outcome.exited {
            termination = .signaled(outcome.status)
        } else if outcome.status > 128, outcome.status <= 128 + 64 {
            termination = .signaled(outcome.status - 128)
        } else {
            termination = .exited(outcome.status)
        }
        return SandboxResult(
            termination: termination, timedOut: seen.stop == .wallClock, outputTruncated: seen.stop == .outputLimit,
            standardOutput: seen.output.starts(with: marker) ? Data(seen.output.dropFirst(marker.count)) : seen.output,
            standardError: seen.errors, wallSeconds: wallSeconds)
    }
}

/// Watches one sandbox from outside: collects its two output streams up to the limit, and kills
/// it (`SIGKILL` to `bwrap`, whose death takes the sandbox's init and with it every process of
/// its PID namespace) on the wall clock or when a stream passes the limit.
private final class SandboxWatch: Sendable {
    enum Stop: Equatable {
        case wallClock, outputLimit
    }

    struct Seen {
        var output = Data()
        var errors = Data()
        var stop: Stop?
        var pid: pid_t?
        var ended = false
    }

    private let outputLimit: Int
    private let markerBytes: Int
    private let state = Mutex(Seen())

    init(outputLimit: Int, markerBytes: Int) {
        self.outputLimit = outputLimit
        self.markerBytes = markerBytes
    }

    /// Keeps a chunk of a stream, up to the limit (standard output's counted after the marker).
    func receive(_ chunk: Data, onOutput: Bool) {
        let limit = onOutput ? outputLimit + markerBytes : outputLimit
        let overflow = state.withLock { seen in
            let kept = onOutput ? seen.output.count : seen.errors.count
            let room = max(0, limit - kept)
            if onOutput { seen.output.append(chunk.prefix(room)) } else { seen.errors.append(chunk.prefix(room)) }
            return chunk.count > room
        }
        if overflow { stop(.outputLimit) }
    }

    /// Records the started `bwrap`'s process id, killing it at once if a stop came first.
    func started(pid: pid_t) {
        state.withLock { seen in
            seen.pid = pid
            if seen.stop != nil { kill(pid, SIGKILL) }
        }
    }

    /// Kills the sandbox for `reason`, unless it has ended or was stopped already.
    func stop(_ reason: Stop) {
        state.withLock { seen in
            guard seen.stop == nil, !seen.ended else { return }
            seen.stop = reason
            // Until `ended()`, `pid` names bwrap, but for the instant between Foundation reaping
            // it and `ended()`, which `Process.terminate()` shares: the id could be reused only
            // after the kernel had cycled through every other.
            if let pid = seen.pid { kill(pid, SIGKILL) }
        }
    }

    /// Notes that `bwrap` has ended: nothing is killed after this.
    func ended() {
        state.withLock { $0.ended = true }
    }

    /// What was seen, once both streams are drained.
    func finish() -> Seen {
        state.withLock { $0 }
    }
}
