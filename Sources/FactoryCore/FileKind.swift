import Foundation

/// What a path names, for the places that take a user's path as content: only regular files and
/// folders are content; a device (`/dev/zero`), a FIFO or a socket would hang or never end.
public enum FileKind: Equatable, Sendable {
    case regularFile
    case folder

    /// The kind of `path` (symbolic links followed).
    ///
    /// - Parameter name: what the path is, as the user knows it (`--file`, `sources[2].path`); it
    ///   names the refusal.
    /// - Throws: ``FactoryError/fileNotFound(path:)`` when nothing is there,
    ///   ``FactoryError/invalidArgument(name:message:)`` naming `name` and the path for anything
    ///   that is neither a regular file nor a folder.
    public static func of(_ path: String, name: String) throws -> FileKind {
        var status = stat()
        guard stat(path, &status) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw FactoryError.fileNotFound(path: path) }
            throw FactoryError.io(path: path, operation: "inspect", reason: String(cString: strerror(errno)))
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return .regularFile
        case S_IFDIR: return .folder
        case let mode:
            throw FactoryError.invalidArgument(
                name: "\(name) \(path)", message: "is \(describe(mode)), not a regular file or a folder of them")
        }
    }

    /// Like ``of(_:name:)``, but only a regular file will do.
    public static func requireRegularFile(_ path: String, name: String) throws {
        guard try of(path, name: name) == .regularFile else {
            throw FactoryError.invalidArgument(name: "\(name) \(path)", message: "is a folder, not a regular file")
        }
    }

    private static func describe(_ mode: mode_t) -> String {
        switch mode {
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        default: return "a special file"
        }
    }
}
