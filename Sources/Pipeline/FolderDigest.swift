import FactoryCore
import Foundation
import Lineage

/// The content of a stage's output folder as a ``DirectoryManifest`` of every regular file under
/// it (relative paths, digests, sizes; symbolic links are not followed). Its digest does not
/// depend on where the folder is, so equal outputs in different folders have equal digests.
enum FolderDigest {
    /// The manifest of `folder`.
    static func manifest(of folder: String) throws -> DirectoryManifest {
        try DirectoryManifest(entries: FileListing(root: folder, files: files(under: folder)).entries)
    }

    /// Regular files under `folder`, as sorted relative paths.
    static func files(under folder: String) throws -> [String] {
        guard
            let enumerator = FileManager.default.enumerator(
                at: URL(fileURLWithPath: folder, isDirectory: true), includingPropertiesForKeys: [.isRegularFileKey])
        else { throw FactoryError.fileNotFound(path: folder) }
        let prefix = URL(fileURLWithPath: folder, isDirectory: true).standardizedFileURL.path + "/"
        var files = [String]()
        for case let url as URL in enumerator {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(prefix) else { continue }
            files.append(String(path.dropFirst(prefix.count)))
        }
        return files.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
