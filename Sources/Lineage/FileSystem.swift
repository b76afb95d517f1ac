import FactoryCore
import Foundation

/// The few file-system operations the store needs, with `FactoryError`s that name the path.
enum FileSystem {
    static func createDirectory(_ path: String) throws {
        try FilePath.createFolder(path)
    }

    static func size(ofFile path: String) throws -> Int64 {
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            return (attributes[.size] as? NSNumber)?.int64Value ?? 0
        } catch {
            throw FactoryError.fileNotFound(path: path)
        }
    }

    /// The size of the file at `path`, `nil` when there is none.
    static func sizeIfPresent(_ path: String) -> Int64? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        return (attributes[.size] as? NSNumber)?.int64Value ?? 0
    }

    static func read(_ handle: FileHandle, path: String) throws -> Data? {
        do {
            return try handle.read(upToCount: 1 << 20)
        } catch {
            throw FactoryError.io(path: path, operation: "read", reason: FoundationErrorText.reason(error))
        }
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Relative paths of the regular files under `directory`, in byte order.
    ///
    /// - Throws: `FactoryError.invalidArgument` for symbolic links, sockets and other special files.
    static func regularFiles(under directory: String) throws -> [String] {
        guard isDirectory(directory) else { throw FactoryError.fileNotFound(path: directory) }
        var files = [String]()
        try collect(directory, relative: "", into: &files)
        return files.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    private static func collect(_ root: String, relative: String, into files: inout [String]) throws {
        let absolute = relative.isEmpty ? root : "\(root)/\(relative)"
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: absolute)
        } catch {
            throw FactoryError.io(path: absolute, operation: "list the directory", reason: FoundationErrorText.reason(error))
        }
        for name in names {
            let child = relative.isEmpty ? name : "\(relative)/\(name)"
            let attributes: [FileAttributeKey: Any]
            do {
                attributes = try FileManager.default.attributesOfItem(atPath: "\(root)/\(child)")
            } catch {
                throw FactoryError.io(path: "\(root)/\(child)", operation: "read the attributes", reason: FoundationErrorText.reason(error))
            }
            switch attributes[.type] as? FileAttributeType {
            case .typeDirectory?: try collect(root, relative: child, into: &files)
            case .typeRegular?: files.append(child)
            default:
                throw FactoryError.invalidArgument(
                    name: "\(root)/\(child)", message: "only regular files and directories can be stored (symbolic link or special file)")
            }
        }
    }
}
