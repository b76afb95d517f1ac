import FactoryCore
import Foundation

/// Builds a shard folder beside its destination and swaps it in (``AtomicDirectory``), so that a
/// rebuild leaves exactly the new build's manifests and shards: no stale `<domain>.manifest.json`
/// of a domain the new documents no longer have, and no half-built folder if the build fails.
enum ShardFolderReplacement {
    /// Fills an empty staging folder through `body` and swaps it in as `directory`. If `body`
    /// throws, the staging folder is removed and `directory` is untouched.
    ///
    /// - Throws: ``FactoryError/invalidArgument(name:message:)`` when `directory` exists and holds
    ///   anything but token shards and manifests (it is not replaced: it may be the user's data).
    static func replace(_ directory: String, _ body: (_ staging: String) throws -> Void) throws {
        try AtomicDirectory.replace(directory, name: "shard folder \(directory)", requireReplaceable: requireShardFolder, body)
    }

    /// Throws unless the folder `path` holds only shard files and manifests.
    private static func requireShardFolder(_ path: String) throws {
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
}
