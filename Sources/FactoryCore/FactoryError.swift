/// The one error type the factory throws across module boundaries.
///
/// Every case names what failed and where (a file path, a config key path, a line) and its
/// `description` is a sentence a user can act on.
public enum FactoryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A file or directory that should exist does not.
    case fileNotFound(path: String)
    /// Reading, writing or renaming a file failed at the operating-system level.
    case io(path: String, operation: String, reason: String)
    /// A configuration file could not be parsed or did not match its schema.
    ///
    /// `keyPath` is dotted (`train.optimizer.lr`, `sources[2].path`); empty for whole-file errors.
    case config(file: String, keyPath: String, line: Int?, message: String)
    /// A value handed to an API is unusable: a wrong shape, a negative size, an unknown name.
    case invalidArgument(name: String, message: String)
    /// Stored data failed a consistency check (digest mismatch, truncated file, bad header).
    case corrupt(path: String, reason: String)
    /// Something the factory needs from the machine is missing.
    case missingDependency(name: String, hint: String)

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): no such file or directory"
        case .io(let path, let operation, let reason):
            return "\(path): could not \(operation): \(reason)"
        case .config(let file, let keyPath, let line, let message):
            var location = file
            if let line { location += ":\(line)" }
            if !keyPath.isEmpty { location += ": key '\(keyPath)'" }
            return "\(location): \(message)"
        case .invalidArgument(let name, let message):
            return "invalid \(name): \(message)"
        case .corrupt(let path, let reason):
            return "\(path) is corrupt: \(reason)"
        case .missingDependency(let name, let hint):
            return "\(name) is missing: \(hint)"
        }
    }
}
