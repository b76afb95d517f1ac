import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Replaces a whole directory so that a crash at any point leaves either the complete old
/// directory or the complete new one, never a mixture.
///
/// The new contents are written into `.NAME.staging` next to `NAME` and flushed to disk; then the
/// old directory is renamed to `.NAME.previous`, the staging directory renamed to `NAME`, and the
/// previous one deleted. A crash between the two renames leaves no `NAME` but a complete
/// `.NAME.previous`: `readablePath(_:)` finds it, and the next `replace` puts it back first.
/// Checkpoints and shard folders are written this way.
public enum AtomicDirectory {
    /// Writes a new `directory` through `body`, which fills the (empty) staging directory whose
    /// path it is given, then swaps it into place. If `body` throws, the staging directory is
    /// removed and `directory` is untouched.
    ///
    /// - Parameters:
    ///   - name: what the directory is ("checkpoint directory", "shard folder"); it names refusals.
    ///   - requireReplaceable: guards against replacing a directory that is not the caller's: it
    ///     is given an existing non-empty `directory` and throws to refuse replacing it.
    public static func replace(
        _ directory: String, name: String, requireReplaceable: (String) throws -> Void, _ body: (_ staging: String) throws -> Void
    ) throws {
        let url = URL(fileURLWithPath: directory).standardizedFileURL
        let parent = url.deletingLastPathComponent().path
        let target = url.path
        let staging = sibling(of: url, suffix: "staging")
        let previous = sibling(of: url, suffix: "previous")
        let files = FileManager.default
        try createDirectory(parent)
        try recover(target: target, previous: previous)
        var isDirectory: ObjCBool = false
        if files.fileExists(atPath: target, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw FactoryError.invalidArgument(name: name, message: "\(target) exists and is not a directory")
            }
            let contents = (try? files.contentsOfDirectory(atPath: target)) ?? []
            if !contents.isEmpty { try requireReplaceable(target) }
        }
        try remove(staging)
        try createDirectory(staging)
        do {
            try body(staging)
            try synchronizeTree(staging)
        } catch {
            try? files.removeItem(atPath: staging)
            throw error
        }
        if files.fileExists(atPath: target) { try move(target, to: previous) }
        try move(staging, to: target)
        synchronize(parent)
        try remove(previous)
        synchronize(parent)
    }

    /// The directory to read for `directory`: itself, or the complete previous version an
    /// interrupted `replace` left beside it.
    public static func readablePath(_ directory: String) -> String {
        let url = URL(fileURLWithPath: directory).standardizedFileURL
        let previous = sibling(of: url, suffix: "previous")
        if !FileManager.default.fileExists(atPath: url.path), FileManager.default.fileExists(atPath: previous) {
            return previous
        }
        return directory
    }

    private static func sibling(of url: URL, suffix: String) -> String {
        url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(suffix)").path
    }

    /// Finishes what an interrupted `replace` left: restores the previous directory if the new
    /// one never arrived, or deletes it if the new one did.
    private static func recover(target: String, previous: String) throws {
        guard FileManager.default.fileExists(atPath: previous) else { return }
        if FileManager.default.fileExists(atPath: target) {
            try remove(previous)
        } else {
            try move(previous, to: target)
        }
    }

    private static func createDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw FactoryError.io(path: path, operation: "create the directory", reason: error.localizedDescription)
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

    private static func move(_ source: String, to destination: String) throws {
        guard rename(source, destination) == 0 else {
            throw FactoryError.io(path: source, operation: "rename to \(destination)", reason: String(cString: strerror(errno)))
        }
    }

    /// Flushes every file and directory under `root`, and `root` itself, to disk.
    private static func synchronizeTree(_ root: String) throws {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { throw FactoryError.fileNotFound(path: root) }
        while let path = enumerator.nextObject() as? String {
            let type = enumerator.fileAttributes?[.type] as? FileAttributeType
            guard type == .typeRegular || type == .typeDirectory else { continue }
            let full = root + "/" + path
            guard try flush(full) else {
                throw FactoryError.io(path: full, operation: "fsync", reason: String(cString: strerror(errno)))
            }
        }
        synchronize(root)
    }

    /// Flushes a directory entry; failures do not undo completed renames, so they are ignored.
    private static func synchronize(_ directory: String) {
        _ = try? flush(directory)
    }

    /// `fsync` on a read-only descriptor of `path`; false when it fails.
    private static func flush(_ path: String) throws -> Bool {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw FactoryError.io(path: path, operation: "open for fsync", reason: String(cString: strerror(errno)))
        }
        defer { _ = close(descriptor) }
        return fsync(descriptor) == 0
    }
}
