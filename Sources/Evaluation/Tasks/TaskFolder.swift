import FactoryCore
import Foundation

/// A folder of task files: every `*.jsonl` file directly in it, read in name order (byte order
/// of the names, so on any machine the same).
public enum TaskFolder {
    /// Reads the task files of `folder`.
    ///
    /// - Throws: ``FactoryError/fileNotFound(path:)`` for a missing folder;
    ///   ``FactoryError/invalidArgument(name:message:)`` naming the folder when it is not one, when
    ///   it holds no `*.jsonl` file, or when two files hold tasks of one name; the errors of
    ///   ``TaskFile/read(path:)``.
    public static func read(folder: String) throws -> [TaskFile] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else {
            throw FactoryError.fileNotFound(path: folder)
        }
        guard isDirectory.boolValue else {
            throw FactoryError.invalidArgument(name: "task folder \(folder)", message: "is not a folder")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw FactoryError.io(path: folder, operation: "list", reason: FoundationErrorText.reason(error))
        }
        let files = names.filter { $0.hasSuffix(".jsonl") }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        guard !files.isEmpty else {
            throw FactoryError.invalidArgument(name: "task folder \(folder)", message: "holds no task files (*.jsonl)")
        }
        var fileOfTask = [String: String]()
        return try files.map { name in
            let path = (folder as NSString).appendingPathComponent(name)
            let task = try TaskFile.read(path: path)
            if let other = fileOfTask[task.header.name] {
                throw FactoryError.invalidArgument(
                    name: "task folder \(folder)", message: "\(other) and \(name) both hold a task named '\(task.header.name)'")
            }
            fileOfTask[task.header.name] = name
            return task
        }
    }
}
