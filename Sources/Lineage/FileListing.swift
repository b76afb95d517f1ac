import FactoryCore
import Foundation

/// Files identified by their content without being copied into the store: a root folder and,
/// for each member, its relative path, digest and size.
///
/// A listing is stored as one file artifact (its canonical JSON), so lineage names exactly which
/// bytes a stage read from folders a store should not copy, such as the system folders a corpus
/// is built from. Unlike a directory artifact, the members themselves are not in the store:
/// verifying the artifact checks the listing, and re-hashing the files under `root` tells
/// whether they still hold what was read.
public struct FileListing: Hashable, Sendable {
    /// The format tag written into every listing.
    public static let format = "factory-listing/1"

    /// The folder the member paths are relative to.
    public let root: String
    /// The members, in UTF-8 byte order of their paths.
    public let entries: [DirectoryManifest.Entry]

    /// Hashes `files` (paths relative to `root`).
    ///
    /// - Throws: `FactoryError.fileNotFound` or `.io` naming a file that cannot be read,
    ///   `.invalidArgument` for a path that is not a clean relative path or is listed twice.
    public init(root: String, files: [String]) throws {
        let entries = try files.map { relative in
            let path = "\(root)/\(relative)"
            return DirectoryManifest.Entry(path: relative, digest: try Digest.ofFile(atPath: path), size: try FileSystem.size(ofFile: path))
        }
        self.root = root
        self.entries = try DirectoryManifest(entries: entries).entries
    }

    /// Total bytes of the listed files.
    public var totalSize: Int64 { entries.reduce(0) { $0 + $1.size } }

    /// The canonical JSON text whose digest is the listing artifact's digest.
    public var canonicalText: String {
        let value = ConfigValue.table([
            "format": .string(Self.format),
            "root": .string(root),
            "entries": .array(
                entries.map {
                    .table(["path": .string($0.path), "digest": .string($0.digest.hex), "size": .integer(Int($0.size))])
                }),
        ])
        // Strings and integers only: encoding cannot fail.
        return try! CanonicalJSON.encode(value)
    }
}
