import FactoryCore
import Foundation

/// A stage's log file: the output of its commands is appended to it and, when `echo` is set,
/// copied to standard output as it arrives, so long stages show their progress.
public final class StageLog: Sendable {
    /// The log file.
    public let path: String
    /// Whether command output is also written to standard output.
    public let echo: Bool
    private let interrupts: InterruptMonitor

    /// Opens (creates) the log at `path`.
    public init(path: String, echo: Bool, interrupts: InterruptMonitor) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw FactoryError.io(path: folder, operation: "create the log folder", reason: FoundationErrorText.reason(error))
        }
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw FactoryError.io(path: path, operation: "create the log", reason: "permission denied")
            }
        }
        self.path = path
        self.echo = echo
        self.interrupts = interrupts
    }

    /// Appends a line of the runner's own.
    public func note(_ line: String) {
        append(Data((line + "\n").utf8))
    }

    /// Runs a command to its end, its output appended to the log (and echoed).
    ///
    /// - Throws: ``StageFailure`` when it cannot start, exits non-zero or is interrupted.
    public func run(executable: String, arguments: [String]) throws {
        note("$ " + ([executable] + arguments).map(Self.shellQuoted).joined(separator: " "))
        guard !interrupts.interrupted else { throw StageFailure(message: "interrupted", interrupted: true) }
        let outcome: ChildProcess.Outcome
        do {
            outcome = try ChildProcess.run(executable, arguments: arguments, output: .stream { [self] in append($0) }, errors: .output) { process in
                interrupts.watch(process)
                return { [interrupts] in interrupts.unwatch(process) }
            }
        } catch {
            throw StageFailure(message: "could not start \(executable): \(error)", interrupted: false)
        }
        if interrupts.interrupted {
            throw StageFailure(message: "interrupted", interrupted: true)
        }
        guard outcome.succeeded else {
            throw StageFailure(message: "`factory \(arguments.first ?? "")` \(outcome.description) (log: \(path))", interrupted: false)
        }
    }

    private func append(_ data: Data) {
        if let handle = FileHandle(forWritingAtPath: path) {
            handle.seekToEndOfFile()
            handle.write(data)
            try? handle.close()
        }
        if echo { FileHandle.standardOutput.write(data) }
    }

    private static func shellQuoted(_ word: String) -> String {
        let plain = word.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "-_./=:,+@%".unicodeScalars.contains($0) }
        return plain && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
