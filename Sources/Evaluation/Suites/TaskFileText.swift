import Documents
import FactoryCore
import Foundation

/// The text of every document of a task file that the contamination check looks for: the
/// context or prompt followed by the gold answer (multiple choice: `context + " " + gold
/// choice`; exact match: `prompt + " " + answer`; code: `prompt + test`, there being no gold
/// completion). Read as plain JSON Lines in the task-file format, so any task file is checked,
/// not only the suites'.
struct TaskFileText: Sendable {
    /// The header's `name`.
    var name: String
    /// The file's name in its folder.
    var file: String
    /// Document ids and texts, in file order.
    var documents: [(id: String, text: String)]

    /// The `*.jsonl` files of `folder`, in name order.
    ///
    /// - Throws: ``FactoryError/fileNotFound(path:)`` for a missing folder,
    ///   ``FactoryError/invalidArgument(name:message:)`` when it holds no task file,
    ///   ``FactoryError/corrupt(path:reason:)`` naming the file, line and field of a bad line.
    static func readFolder(_ folder: String) throws -> [TaskFileText] {
        guard try FileKind.of(folder, name: "--tasks") == .folder else {
            throw FactoryError.invalidArgument(name: "--tasks", message: "\(folder) is a file, not a folder of task files")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".jsonl") }.sorted()
        } catch {
            throw FactoryError.io(path: folder, operation: "list the folder", reason: error.localizedDescription)
        }
        guard !names.isEmpty else {
            throw FactoryError.invalidArgument(
                name: "--tasks", message: "\(folder) holds no *.jsonl task file (build them with `factory eval tasks build`)")
        }
        return try names.map { try read(path: folder + "/" + $0, file: $0) }
    }

    /// Reads one task file.
    static func read(path: String, file: String) throws -> TaskFileText {
        try FileKind.requireRegularFile(path, name: "task file")
        let reader = try JSONLinesReader(path: path)
        func fail(_ message: String) -> FactoryError { .corrupt(path: path, reason: "line \(reader.lineNumber): \(message)") }
        guard let first = try reader.nextObject() else { throw FactoryError.corrupt(path: path, reason: "the file is empty (no header line)") }
        guard case .object(let header)? = first["header"], let name = header["name"]?.string else {
            throw fail("field 'header.name' is missing: the first line must be {\"header\": {\"name\": …, …}}")
        }
        var documents = [(id: String, text: String)]()
        while let object = try reader.nextObject() {
            guard let id = object["id"]?.string else { throw fail("field 'id' is missing or not a string") }
            func string(_ key: String) throws -> String {
                guard let value = object[key]?.string else { throw fail("field '\(key)' is missing or not a string") }
                return value
            }
            if let context = object["context"]?.string {
                guard case .array(let choices)? = object["choices"], case .integer(let gold)? = object["gold"], choices.indices.contains(gold),
                    let answer = choices[gold].string
                else { throw fail("field 'gold' is not the index of a string in 'choices'") }
                documents.append((id, context + " " + answer))
            } else if object["test"] != nil {
                documents.append((id, try string("prompt") + (try string("test"))))
            } else {
                documents.append((id, try string("prompt") + " " + (try string("answer"))))
            }
        }
        return TaskFileText(name: name, file: file, documents: documents)
    }
}
