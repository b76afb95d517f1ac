import FactoryCore

/// A text file the sandbox writes into its `/tmp` before the command starts (a program to run).
///
/// Files travel as command-line arguments (so nothing is written on the host), cut into pieces
/// that each fit the kernel's limit on one argument; all of a run's files together may hold at
/// most ``maximumTotalBytes`` bytes of UTF-8, and each at most the run's file-size limit.
public struct SandboxFile: Sendable, Equatable {
    /// The file's name in `/tmp`: letters, digits, `.`, `_` and `-`, not starting with `.` or `-`.
    public let name: String
    /// Its text (no NUL character: arguments cannot carry one).
    public let contents: String

    /// The most UTF-8 bytes all files of one run may hold (the kernel allows about 2 MiB of
    /// arguments and environment in all).
    public static let maximumTotalBytes = 1 << 20
    /// The most bytes of one piece: under the kernel's 128 KiB limit on a single argument.
    static let pieceBytes = 64 << 10

    /// A file named `name` holding `contents`.
    public init(name: String, contents: String) {
        self.name = name
        self.contents = contents
    }

    /// Checks the name and the contents, naming the file.
    func validate(limits: SandboxLimits) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard let first = name.first, first != ".", first != "-", name.allSatisfy(allowed.contains) else {
            throw FactoryError.invalidArgument(
                name: "sandbox file name '\(name)'", message: "use letters, digits, '.', '_' and '-', not starting with '.' or '-'")
        }
        guard !contents.utf8.contains(0) else {
            throw FactoryError.invalidArgument(name: "sandbox file \(name)", message: "contains a NUL character")
        }
        guard contents.utf8.count <= limits.fileBytes else {
            throw FactoryError.invalidArgument(
                name: "sandbox file \(name)",
                message: "\(contents.utf8.count) bytes is more than the file-size limit of \(limits.fileBytes) bytes")
        }
    }

    /// The contents cut into pieces of at most ``pieceBytes`` UTF-8 bytes, at character
    /// boundaries; one empty piece for an empty file.
    var pieces: [String] {
        var pieces: [String] = []
        var current = String.UnicodeScalarView()
        var bytes = 0
        for scalar in contents.unicodeScalars {
            let size = UTF8.width(scalar)
            if bytes + size > Self.pieceBytes {
                pieces.append(String(current))
                current = String.UnicodeScalarView()
                bytes = 0
            }
            current.append(scalar)
            bytes += size
        }
        pieces.append(String(current))
        return pieces
    }
}
