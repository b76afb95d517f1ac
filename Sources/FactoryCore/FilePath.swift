import Foundation

/// Paths as the user typed them, made absolute.
public enum FilePath {
    /// `path` if absolute, else joined to `workingDirectory`; `.` and `..` resolved.
    public static func absolute(_ path: String, workingDirectory: String = FileManager.default.currentDirectoryPath) -> String {
        URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: workingDirectory, isDirectory: true)).standardizedFileURL.path
    }
}

extension FilePath {
    /// Creates the folder `path` and its parents when missing.
    ///
    /// - Throws: ``FactoryError/io(path:operation:reason:)`` naming the folder.
    public static func createFolder(_ path: String) throws {
        // mkdir(2) one level at a time: the system's reason ("Not a directory", "Permission
        // denied") is kept, where Foundation reports only "error 512".
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            guard mkdir(prefix, 0o777) != 0 else { continue }
            let code = errno
            var status = stat()
            if code == EEXIST, stat(prefix, &status) == 0, status.st_mode & S_IFMT == S_IFDIR { continue }
            let reason = code == EEXIST ? String(cString: strerror(ENOTDIR)) : String(cString: strerror(code))
            throw FactoryError.io(path: path, operation: "create the folder", reason: reason)
        }
    }
}
