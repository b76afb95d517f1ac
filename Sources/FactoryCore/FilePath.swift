import Foundation

/// Paths as the user typed them, made absolute.
public enum FilePath {
    /// `path` if absolute, else joined to `workingDirectory`; `.` and `..` resolved.
    public static func absolute(_ path: String, workingDirectory: String = FileManager.default.currentDirectoryPath) -> String {
        URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: workingDirectory, isDirectory: true)).standardizedFileURL.path
    }
}
