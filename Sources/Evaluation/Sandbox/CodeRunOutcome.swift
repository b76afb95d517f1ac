/// How a program with its test fared in a ``CodeRunner``.
public enum CodeRunOutcome: String, Codable, Sendable, CaseIterable {
    /// It exited with status 0 within every limit.
    case passed
    /// It exited with another status: a failed assert, an exception (a `MemoryError` at the
    /// memory limit, an `OSError` at the file-size or process limit, a refused connection), a
    /// syntax error.
    case failed
    /// The wall clock or the CPU-time limit stopped it.
    case timedOut
    /// Another signal ended it: a crash (`SIGSEGV`, `SIGABRT`), a hard limit's `SIGKILL`, or the
    /// runner stopping it for writing more output than allowed.
    case crashed

    /// Whether it counts as a pass (only ``passed`` does).
    public var passed: Bool { self == .passed }
}

extension CodeRunOutcome {
    /// The outcome of a sandboxed run: passed on exit status 0, timed out on the wall clock or
    /// `SIGXCPU`, crashed on another signal or too much output, failed otherwise.
    public init(_ result: SandboxResult) {
        if result.timedOut || result.exceededCPUTime {
            self = .timedOut
        } else if result.outputTruncated {
            self = .crashed
        } else {
            switch result.termination {
            case .exited(0): self = .passed
            case .exited: self = .failed
            case .signaled: self = .crashed
            }
        }
    }
}
