import FactoryCore
import Foundation

/// Runs a program without a shell and returns its standard output as text.
enum CommandRunner {
    /// The absolute path of `program`: itself when it contains a `/`, else the first executable
    /// match in `PATH`; `nil` when there is none.
    static func locate(_ program: String) -> String? {
        if program.contains("/") { return FileManager.default.isExecutableFile(atPath: program) ? program : nil }
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in searchPath.split(separator: ":") {
            let candidate = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `arguments[0]` with the rest as arguments; a non-zero exit is an error quoting the
    /// end of the program's standard error.
    static func run(_ arguments: [String]) throws -> String {
        let program = arguments[0]
        guard let executable = locate(program) else { throw FactoryError.fileNotFound(path: program) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(arguments.dropFirst())
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw FactoryError.io(path: executable, operation: "start", reason: "\(error)")
        }
        let errorData = LockedData()
        let errorReading = DispatchGroup()
        let errorHandle = errors.fileHandleForReading
        DispatchQueue.global().async(group: errorReading) { errorData.set(errorHandle.readDataToEndOfFile()) }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        errorReading.wait()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errorData.value.suffix(500), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            throw FactoryError.io(
                path: executable, operation: "run \(arguments.joined(separator: " "))",
                reason: "exit status \(process.terminationStatus)\(message.isEmpty ? "" : ": \(message)")")
        }
        return SourceFileText.decode([UInt8](data))
    }
}

/// Standard error collected on a helper thread, so neither pipe can fill up and block the child.
private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    var value: Data { lock.withLock { data } }

    func set(_ newValue: Data) { lock.withLock { data = newValue } }
}
