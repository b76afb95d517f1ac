import Foundation
import Synchronization

/// The one way the factory starts another program: without a shell, standard input from
/// `/dev/null`, each output stream captured, appended to a file, handed over as it arrives, or
/// discarded; standard error may join standard output. A `factory` child dies with this process
/// (see ``ParentLink``).
///
/// Built on Foundation's `Process` rather than swift-subprocess: every caller is a synchronous
/// worker thread (a pipeline stage, a sweep worker), and interrupt handling needs the running
/// child to signal it, which ``run(_:arguments:output:errors:whileRunning:)`` lends to its
/// caller.
public enum ChildProcess {
    /// Where one output stream of the child goes.
    public enum Sink: Sendable {
        /// Kept in memory and returned in ``Outcome``.
        case capture
        /// Appended to the open file.
        case file(FileHandle)
        /// Handed to the closure chunk by chunk as the child writes it (on a reader thread).
        case stream(@Sendable (Data) -> Void)
        /// Thrown away.
        case discard
        /// Standard error only: the same destination as standard output.
        case output
    }

    /// How a child ended.
    public struct Outcome: Sendable {
        /// The exit status, or the signal that killed it (see ``exited``).
        public let status: Int32
        /// Whether it exited by itself (`false`: a signal ended it).
        public let exited: Bool
        /// Standard output when captured (else empty).
        public let output: Data
        /// Standard error when captured (else empty).
        public let errors: Data

        /// Whether it exited with status 0.
        public var succeeded: Bool { exited && status == 0 }

        /// "exited with status N" or "was killed by signal N".
        public var description: String { exited ? "exited with status \(status)" : "was killed by signal \(status)" }
    }

    /// The absolute path of `program`: itself when it contains a `/`, else the first executable
    /// match in `searchPath` (colon-separated folders; default: this process's `PATH`); `nil`
    /// when there is none.
    public static func locate(_ program: String, searchPath: String? = nil) -> String? {
        if program.contains("/") { return FileManager.default.isExecutableFile(atPath: program) ? program : nil }
        let searchPath = searchPath ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in searchPath.split(separator: ":") {
            let candidate = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `executable` (a path, or a name looked up in `PATH`) with `arguments` to its end.
    /// `whileRunning` receives the started child (to signal it on an interrupt) and returns what
    /// to do once it ends.
    ///
    /// - Throws: `FactoryError.fileNotFound` when the program cannot be found,
    ///   `FactoryError.io` naming it when it cannot be started. A non-zero exit is not an error
    ///   here: the ``Outcome`` says how it ended.
    public static func run(
        _ executable: String, arguments: [String], output: Sink = .capture, errors: Sink = .capture,
        whileRunning: (Process) -> (() -> Void) = { _ in {} }
    ) throws -> Outcome {
        guard let path = locate(executable) else { throw FactoryError.fileNotFound(path: executable) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = ParentLink.childEnvironment
        process.standardInput = FileHandle.nullDevice
        let outputReader = StreamReader(output)
        process.standardOutput = outputReader.target
        if case .output = errors {
            process.standardError = outputReader.target
        } else {
            let errorReader = StreamReader(errors)
            process.standardError = errorReader.target
            return try launch(process, path: path, readers: (outputReader, errorReader), whileRunning: whileRunning)
        }
        return try launch(process, path: path, readers: (outputReader, nil), whileRunning: whileRunning)
    }

    private static func launch(
        _ process: Process, path: String, readers: (output: StreamReader, errors: StreamReader?), whileRunning: (Process) -> (() -> Void)
    ) throws -> Outcome {
        do {
            try process.run()
        } catch {
            throw FactoryError.io(path: path, operation: "start", reason: "\(error)")
        }
        readers.output.start()
        readers.errors?.start()
        let finish = whileRunning(process)
        process.waitUntilExit()
        finish()
        let output = readers.output.finish()
        let errors = readers.errors?.finish() ?? Data()
        return Outcome(
            status: process.terminationStatus, exited: process.terminationReason == .exit, output: output, errors: errors)
    }
}

/// Drains one pipe of a child on a thread of its own until end of file, so neither pipe can fill
/// up and block the child, and no output is lost when it exits.
private final class StreamReader: Sendable {
    private let sink: ChildProcess.Sink
    private let pipe: Pipe?
    private let collected = Mutex(Data())
    private let drained = DispatchSemaphore(value: 0)

    init(_ sink: ChildProcess.Sink) {
        self.sink = sink
        switch sink {
        case .capture, .stream: pipe = Pipe()
        case .file, .discard, .output: pipe = nil
        }
    }

    /// What the child's stream is connected to.
    var target: Any {
        switch sink {
        case .capture, .stream: return pipe!
        case .file(let handle): return handle
        case .discard, .output: return FileHandle.nullDevice
        }
    }

    func start() {
        guard let pipe else { return }
        let reader = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            while case let chunk = reader.availableData, !chunk.isEmpty {
                if case .stream(let handle) = sink { handle(chunk) } else { collected.withLock { $0.append(chunk) } }
            }
            drained.signal()
        }
    }

    func finish() -> Data {
        guard pipe != nil else { return Data() }
        drained.wait()
        return collected.withLock { $0 }
    }
}
