import FactoryCore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The files a `files`, `jsonl` or `wordnet` source reads: a root folder and the sorted relative
/// paths of the regular files under it that pass the source's filters.
public struct FileSelection: Sendable, Equatable {
    /// The folder the relative paths start from.
    public var root: String
    /// Relative paths, `/`-separated, in byte order.
    public var files: [String]

    /// Resolves `path` (a file, a folder or a glob) and applies the filters.
    ///
    /// A glob path is split at its first component with a wildcard: the part before is the root,
    /// the rest a pattern anchored there. Folders are walked recursively; symbolic links are not
    /// followed (so a linked duplicate is not read twice). Returns `nil` when nothing exists at
    /// `path` (or its literal prefix, for a glob).
    ///
    /// - Parameters:
    ///   - include: globs a relative path must match (any of them); empty means all files.
    ///   - exclude: globs that drop a relative path.
    ///   - allowedPaths: when given, only files whose absolute path is in the set are kept.
    public static func resolve(
        path rawPath: String, include: [Glob], exclude: [Glob], allowedPaths: Set<String>? = nil
    ) throws -> FileSelection? {
        let path = (rawPath as NSString).expandingTildeInPath
        var root = path
        var anchored: Glob?
        if Glob.hasWildcards(path) {
            let parts = path.split(separator: "/", omittingEmptySubsequences: false)
            let literalCount = parts.firstIndex { Glob.hasWildcards($0) }!
            root = parts[..<literalCount].joined(separator: "/")
            if root.isEmpty { root = path.hasPrefix("/") ? "/" : "." }
            anchored = Glob("/" + parts[literalCount...].joined(separator: "/"))
        }
        var status = stat()
        guard stat(root, &status) == 0 else { return nil }
        var candidates: [String]
        if status.st_mode & S_IFMT == S_IFDIR {
            candidates = []
            try walk(root: root, relative: "", into: &candidates)
        } else {
            let url = URL(fileURLWithPath: root)
            candidates = [url.lastPathComponent]
            root = url.deletingLastPathComponent().path
        }
        let selected = candidates.filter { relative in
            if let anchored, !anchored.matches(relative) { return false }
            if !include.isEmpty, !include.contains(where: { $0.matches(relative) }) { return false }
            if exclude.contains(where: { $0.matches(relative) }) { return false }
            if let allowedPaths, !allowedPaths.contains(join(root, relative)) { return false }
            return true
        }
        return FileSelection(root: root, files: selected.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }

    /// Why the file or folder at `path` (for a glob, its literal part) cannot be a source of
    /// text, or `nil` when it can or does not exist: a device, FIFO or socket would never end,
    /// and the files of `/proc` and `/sys` are not content (their sizes are not their lengths).
    public static func refusal(of rawPath: String) -> String? {
        let path = (rawPath as NSString).expandingTildeInPath
        var literal = path
        if Glob.hasWildcards(path) {
            let parts = path.split(separator: "/", omittingEmptySubsequences: false)
            literal = parts[..<parts.firstIndex { Glob.hasWildcards($0) }!].joined(separator: "/")
            if literal.isEmpty { literal = path.hasPrefix("/") ? "/" : "." }
        }
        guard let resolved = realpath(literal, nil) else { return nil }
        let real = String(cString: resolved)
        free(resolved)
        for pseudo in ["/proc", "/sys"] where real == pseudo || real.hasPrefix(pseudo + "/") {
            return "is in \(pseudo), whose files are not content (their sizes are not their lengths)"
        }
        do {
            _ = try FileKind.of(real, name: "path")
        } catch FactoryError.invalidArgument(_, let message) {
            return message
        } catch {
            return nil
        }
        return nil
    }

    private static func walk(root: String, relative: String, into files: inout [String]) throws {
        let directory = join(root, relative)
        guard let handle = opendir(directory) else {
            throw FactoryError.io(path: directory, operation: "list the folder", reason: String(cString: strerror(errno)))
        }
        defer { closedir(handle) }
        var names = [(String, Bool)]()
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name == "." || name == ".." { continue }
            let child = relative.isEmpty ? name : "\(relative)/\(name)"
            var status = stat()
            guard lstat(join(root, child), &status) == 0 else { continue }
            switch status.st_mode & S_IFMT {
            case S_IFDIR: names.append((child, true))
            case S_IFREG: names.append((child, false))
            default: continue
            }
        }
        for (child, isDirectory) in names {
            if isDirectory { try walk(root: root, relative: child, into: &files) } else { files.append(child) }
        }
    }

    static func join(_ root: String, _ relative: String) -> String {
        relative.isEmpty ? root : (root.hasSuffix("/") ? root + relative : "\(root)/\(relative)")
    }
}
