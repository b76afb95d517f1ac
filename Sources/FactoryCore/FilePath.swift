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
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw FactoryError.io(path: path, operation: "create the folder", reason: error.localizedDescription)
        }
    }
}
