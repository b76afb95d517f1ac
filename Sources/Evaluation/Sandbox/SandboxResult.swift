import Foundation

/// How one sandboxed run ended, and what it wrote.
public struct SandboxResult: Sendable, Equatable {
    /// The end of the sandboxed command.
    public enum Termination: Sendable, Equatable, CustomStringConvertible {
        /// It exited with this status.
        case exited(Int32)
        /// A signal ended it: one the command met inside (a crash, a resource limit), or the
        /// sandbox's own `SIGKILL` on the wall clock or on too much output.
        case signaled(Int32)

        public var description: String {
            switch self {
            case .exited(let status): "exited with status \(status)"
            case .signaled(let signal): "killed by signal \(signal)"
            }
        }
    }

    /// How the command ended. bubblewrap reports a command killed by signal N as exit status
    /// 128 + N, as a shell does, and is read back that way: a command that itself exits with a
    /// status above 128 reads as killed by a signal.
    public let termination: Termination
    /// Whether the wall clock ran out and the sandbox was killed.
    public let timedOut: Bool
    /// Whether the command wrote more than the output limit to a stream and was killed for it.
    public let outputTruncated: Bool
    /// Standard output, at most the output limit.
    public let standardOutput: Data
    /// Standard error, at most the output limit.
    public let standardError: Data
    /// Seconds from starting the sandbox to its end.
    public let wallSeconds: Double

    /// Whether the command exited with status 0 (so neither the clock nor the output limit
    /// stopped it).
    public var succeeded: Bool { termination == .exited(0) }

    /// Whether the CPU-time limit stopped it (`SIGXCPU`).
    public var exceededCPUTime: Bool { termination == .signaled(SIGXCPU) }

    /// One line for a report: how it ended, and why the sandbox stopped it if it did.
    public var summary: String {
        if timedOut { return "stopped at the wall-clock limit" }
        if outputTruncated { return "stopped for writing more output than the limit" }
        if exceededCPUTime { return "stopped at the CPU-time limit" }
        return termination.description
    }
}
