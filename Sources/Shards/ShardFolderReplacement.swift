import FactoryCore
import Foundation

/// Builds a shard folder beside its destination and swaps it in, so that a rebuild leaves
/// exactly the new build's manifests and shards: no stale `<domain>.manifest.json` of a domain the
/// new documents no longer have, and no half-built folder if the build fails.
///
/// The new folder is written as `.NAME.staging` next to `NAME`; then `NAME` (if any) is renamed
/// to `.NAME.previous`, the staging folder renamed to `NAME`, and the previous one deleted.
enum ShardFolderReplacement {
    /// Fills an empty staging folder through `body` and swaps it in as `directory`. If `body`
    /// throws, the staging folder is removed and `directory` is untouched.
    ///
    /// - Throws: ``FactoryError/invalidArgument(name:message:)`` when `directory` exists and holds
    ///   anything but token shards and manifests (it is not replaced: it may be the user's data).
    static func replace(_ directory: String, _ body: (_ staging: String) throws -> Void) throws {
        let url = URL(fileURLWithPath: directory).standardizedFileURL
        let target = url.path
        let parent = url.deletingLastPathComponent().path
        let staging = parent + "/." + url.lastPathComponent + ".staging"
        let previous = parent + "/." + url.lastPathComponent + ".previous"
        let files = FileManager.default
        try FilePath.createFolder(parent)
        if files.fileExists(atPath: target) {
            try requireShardFolder(target)
        } else if files.fileExists(atPath: previous) {
            // A crash between the two renames of an earlier build: put the old folder back first.
            try move(previous, to: target)
        }
        try remove(previous)
        try remove(staging)
        try FilePath.createFolder(staging)
        do {
            try body(staging)
        } catch {
            try? files.removeItem(atPath: staging)
            throw error
        }
        if files.fileExists(atPath: target) { try move(target, to: previous) }
        try move(staging, to: target)
        try remove(previous)
    }

    /// Throws unless `path` is a folder holding only shard files and manifests.
    private static func requireShardFolder(_ path: String) throws {
        guard try FileKind.of(path, name: "shard folder") == .folder else {
            throw FactoryError.invalidArgument(name: "shard folder \(path)", message: "is a file; refusing to replace it")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw FactoryError.io(path: path, operation: "list the folder", reason: error.localizedDescription)
        }
        let foreign = names.filter { !$0.hasSuffix(".tokens") && !$0.hasSuffix(".manifest.json") }.sorted()
        guard foreign.isEmpty else {
            throw FactoryError.invalidArgument(
                name: "shard folder \(path)",
                message:
                    "holds files that are not token shards (\(foreign.prefix(3).joined(separator: ", "))\(foreign.count > 3 ? ", …" : "")); refusing to replace it: choose a new or empty folder"
            )
        }
    }

    private static func move(_ source: String, to destination: String) throws {
        guard rename(source, destination) == 0 else {
            throw FactoryError.io(path: source, operation: "rename to \(destination)", reason: String(cString: strerror(errno)))
        }
    }

    private static func remove(_ path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw FactoryError.io(path: path, operation: "remove", reason: error.localizedDescription)
        }
    }
}
