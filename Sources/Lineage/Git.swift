import FactoryCore
import Foundation

/// Runs `git` and returns its standard output, or `nil` when git is missing or fails.
enum Git {
    static func run(_ arguments: [String], in directory: String) -> Data? {
        guard let outcome = try? ChildProcess.run("git", arguments: ["-C", directory] + arguments, errors: .discard),
            outcome.succeeded
        else { return nil }
        return outcome.output
    }
}
