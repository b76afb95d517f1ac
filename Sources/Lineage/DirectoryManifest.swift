import FactoryCore
import Foundation

/// The content of a directory artifact: every regular file under it by relative path, with its
/// digest and size. The artifact's digest is the digest of the canonical manifest text, so two
/// directories with the same files (names and bytes) have the same digest.
public struct DirectoryManifest: Hashable, Sendable {
    /// One member file.
    public struct Entry: Hashable, Sendable {
        /// Path relative to the directory, with `/` separators.
        public var path: String
        /// Digest of the file's bytes.
        public var digest: Digest
        /// Size in bytes.
        public var size: Int64

        /// An entry.
        public init(path: String, digest: Digest, size: Int64) {
            self.path = path
            self.digest = digest
            self.size = size
        }
    }

    /// The format tag written into every manifest.
    public static let format = "factory-manifest/1"

    /// Entries in UTF-8 byte order of their paths.
    public let entries: [Entry]

    /// A manifest of `entries`; paths must be unique, relative and free of `.`/`..` components.
    public init(entries: [Entry]) throws {
        var seen = Set<String>()
        for entry in entries {
            let components = entry.path.split(separator: "/", omittingEmptySubsequences: false)
            guard !entry.path.isEmpty, !entry.path.hasPrefix("/"),
                !components.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." })
            else {
                throw FactoryError.invalidArgument(name: "manifest path", message: "'\(entry.path)' is not a clean relative path")
            }
            guard seen.insert(entry.path).inserted else {
                throw FactoryError.invalidArgument(name: "manifest path", message: "'\(entry.path)' is listed twice")
            }
        }
        self.entries = entries.sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
    }

    /// Total bytes of the member files.
    public var totalSize: Int64 { entries.reduce(0) { $0 + $1.size } }

    /// The canonical JSON text whose digest is the artifact's digest.
    public var canonicalText: String {
        let value = ConfigValue.table([
            "format": .string(Self.format),
            "entries": .array(
                entries.map {
                    .table(["path": .string($0.path), "digest": .string($0.digest.hex), "size": .integer(Int($0.size))])
                }),
        ])
        // Strings and integers only: encoding cannot fail.
        return try! CanonicalJSON.encode(value)
    }

    /// The manifest's digest.
    public var digest: Digest { Digest.of(canonicalText) }

    /// Parses a manifest's text; `source` names it in errors.
    public init(parsing text: String, source: String) throws {
        func bad(_ keyPath: String, _ message: String) -> FactoryError {
            .config(file: source, keyPath: keyPath, line: nil, message: message)
        }
        guard case .table(let top) = try CanonicalJSON.decode(text, source: source) else {
            throw bad("", "a manifest must be a JSON object")
        }
        guard top["format"] == .string(Self.format) else { throw bad("format", "expected \"\(Self.format)\"") }
        guard case .array(let items)? = top["entries"] else { throw bad("entries", "expected an array") }
        var entries = [Entry]()
        for (index, item) in items.enumerated() {
            guard case .table(let fields) = item,
                case .string(let path)? = fields["path"],
                case .string(let hex)? = fields["digest"],
                case .integer(let size)? = fields["size"], size >= 0
            else { throw bad("entries[\(index)]", "expected {path, digest, size}") }
            entries.append(Entry(path: path, digest: try Digest(hex: hex), size: Int64(size)))
        }
        try self.init(entries: entries)
    }
}
