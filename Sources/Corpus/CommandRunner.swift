import FactoryCore
import Foundation

/// Runs a corpus source's program (through ``ChildProcess``) and returns its standard output as
/// text.
enum CommandRunner {
    /// Runs `arguments[0]` with the rest as arguments; a non-zero exit is an error quoting the
    /// end of the program's standard error.
    static func run(_ arguments: [String]) throws -> String {
        let outcome = try ChildProcess.run(arguments[0], arguments: Array(arguments.dropFirst()))
        guard outcome.succeeded else {
            let message = String(decoding: outcome.errors.suffix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw FactoryError.io(
                path: arguments[0], operation: "run \(arguments.joined(separator: " "))",
                reason: "\(outcome.description)\(message.isEmpty ? "" : ": \(message)")")
        }
        return SourceFileText.decode([UInt8](outcome.output))
    }
}
