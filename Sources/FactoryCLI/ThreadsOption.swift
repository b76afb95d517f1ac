import ArgumentParser

/// The range a `--threads` option accepts.
enum ThreadsOption {
    /// Most threads a command starts.
    static let maximum = 1024

    /// Refuses a thread count outside 1…`maximum`, naming the option.
    static func validate(_ threads: Int) throws {
        guard (1...maximum).contains(threads) else {
            throw ValidationError("--threads must be between 1 and \(maximum), got \(threads)")
        }
    }
}
