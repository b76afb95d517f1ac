import FactoryCore
import Foundation
import Synchronization

/// Runs a corpus source's program (through ``ChildProcess``) and returns its standard output as
/// text, read as it streams and cut at a byte limit: a program that never ends (`yes`) is
/// stopped once the limit is reached instead of filling the machine's memory.
enum CommandRunner {
    /// The output of one run.
    struct Output {
        /// The text, up to the limit.
        let text: String
        /// Whether the output reached the limit, so the program was stopped and the text cut at
        /// the last line end within the limit.
        let cut: Bool
    }

    /// Runs `arguments[0]` with the rest as arguments, keeping at most `limit` bytes of its
    /// standard output. A non-zero exit is an error quoting the end of the program's standard
    /// error, unless the program was stopped because its output reached the limit.
    static func run(_ arguments: [String], limit: Int) throws -> Output {
        let collector = OutputCollector(limit: limit)
        let outcome = try ChildProcess.run(
            arguments[0], arguments: Array(arguments.dropFirst()), output: .stream { collector.append($0) },
            whileRunning: { process in
                collector.started(pid: process.processIdentifier)
                return {}
            })
        let (bytes, full) = collector.result()
        guard outcome.succeeded || full else {
            let message = String(decoding: outcome.errors.suffix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw FactoryError.io(
                path: arguments[0], operation: "run \(arguments.joined(separator: " "))",
                reason: "\(outcome.description)\(message.isEmpty ? "" : ": \(message)")")
        }
        return Output(text: SourceFileText.decode(full ? cutAtLineEnd(bytes) : bytes), cut: full)
    }

    /// `bytes` up to and including their last line end; without one, up to the last complete
    /// UTF-8 character (a cut inside one would make the text invalid UTF-8).
    static func cutAtLineEnd(_ bytes: [UInt8]) -> [UInt8] {
        if let newline = bytes.lastIndex(of: UInt8(ascii: "\n")) { return Array(bytes[...newline]) }
        var end = bytes.count
        while end > 0, bytes[end - 1] & 0xC0 == 0x80 { end -= 1 }
        if end > 0, bytes[end - 1] >= 0xC0 { end -= 1 }
        return Array(bytes[..<end])
    }
}

/// Collects a child's output up to a limit and stops the child (SIGKILL) once it is reached.
/// Chunks arrive on ChildProcess's reader thread, the child's pid on the caller's.
private final class OutputCollector: Sendable {
    private struct State {
        var bytes = [UInt8]()
        var full = false
        var pid: Int32?
        var stopped = false
    }

    private let limit: Int
    private let state = Mutex(State())

    init(limit: Int) { self.limit = limit }

    func append(_ chunk: Data) {
        state.withLock { state in
            guard !state.full else { return }
            let room = limit - state.bytes.count
            state.bytes += chunk.prefix(room)
            if chunk.count >= room {
                state.full = true
                stop(&state)
            }
        }
    }

    func started(pid: Int32) {
        state.withLock { state in
            state.pid = pid
            if state.full { stop(&state) }
        }
    }

    func result() -> (bytes: [UInt8], full: Bool) {
        state.withLock { ($0.bytes, $0.full) }
    }

    private func stop(_ state: inout State) {
        guard let pid = state.pid, !state.stopped else { return }
        state.stopped = true
        // SIGKILL: a child may inherit a mask that blocks SIGTERM (test runners block it in their threads).
        kill(pid, SIGKILL)
    }
}
