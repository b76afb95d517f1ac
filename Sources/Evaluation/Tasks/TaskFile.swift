import FactoryCore
import Foundation

/// A task file: JSON Lines, the ``TaskHeader`` on line 1 and one document of the header's kind
/// on every other line.
///
/// Reading is strict and every error names the file, the line and the field
/// (``FactoryError/config(file:keyPath:line:message:)``): malformed JSON, a missing, unknown,
/// empty or mistyped field, an unknown kind, capability or metric, a `gold` outside the choices,
/// a duplicate document id, an empty line, a file without documents, and a header `chance` that
/// is not the documents' (the mean of 1 / choices for multiple choice, 0 otherwise).
public struct TaskFile: Sendable, Equatable {
    public var header: TaskHeader
    public var documents: TaskDocuments

    public init(header: TaskHeader, documents: TaskDocuments) {
        self.header = header
        self.documents = documents
    }

    /// Largest difference allowed between the header's `chance` and the documents' (room for a
    /// builder that sums in another order).
    static let chanceTolerance = 1e-9

    /// Reads the task file at `path` (a regular file).
    public static func read(path: String) throws -> TaskFile {
        try FileKind.requireRegularFile(path, name: "task file")
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw FactoryError.io(path: path, operation: "read", reason: FoundationErrorText.reason(error))
        }
        return try parse([UInt8](data), file: path)
    }

    /// Parses the bytes of a task file; `file` names it in errors.
    public static func parse(_ bytes: [UInt8], file: String) throws -> TaskFile {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard let first = lines.first else {
            throw FactoryError.config(file: file, keyPath: "", line: nil, message: "is empty: expected a header line and documents")
        }
        for (index, line) in lines.enumerated() where line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
            throw FactoryError.config(file: file, keyPath: "", line: index + 1, message: "empty line")
        }
        let header = try TaskHeader(line: try TaskLineFields.parse(first, file: file, line: 1), file: file, line: 1)
        guard lines.count > 1 else {
            throw FactoryError.config(file: file, keyPath: "", line: nil, message: "has a header but no documents")
        }
        var firstLineOfId = [String: Int]()
        func fields(_ index: Int) throws -> TaskLineFields {
            let number = index + 1
            let fields = try TaskLineFields(try TaskLineFields.parse(lines[index], file: file, line: number), file: file, line: number)
            if case .string(let id) = try? fields.value("id") {
                if let earlier = firstLineOfId[id] { throw fields.error("id", "'\(id)' is also the id of line \(earlier)") }
                firstLineOfId[id] = number
            }
            return fields
        }
        let documents: TaskDocuments
        switch header.kind {
        case .multipleChoice: documents = .multipleChoice(try (1..<lines.count).map { try MultipleChoiceDocument(fields($0)) })
        case .exactMatch: documents = .exactMatch(try (1..<lines.count).map { try ExactMatchDocument(fields($0)) })
        case .code: documents = .code(try (1..<lines.count).map { try CodeDocument(fields($0)) })
        }
        let chance = documents.chance
        guard abs(header.chance - chance) <= chanceTolerance else {
            let expected = header.kind == .multipleChoice ? "the mean of 1 / choices over the documents" : "0 for \(header.kind.rawValue) tasks"
            throw FactoryError.config(
                file: file, keyPath: "header.chance", line: 1, message: "is \(header.chance), expected \(chance) (\(expected))")
        }
        return TaskFile(header: header, documents: documents)
    }

    /// The file's bytes: one JSON object per line, keys sorted, ending with a newline.
    public func encoded() throws -> [UInt8] {
        guard documents.kind == header.kind else {
            throw FactoryError.invalidArgument(
                name: "task \(header.name)", message: "its header says \(header.kind.rawValue) but its documents are \(documents.kind.rawValue)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var bytes = [UInt8]()
        for value in [header.lineValue] + documents.lineValues {
            do {
                bytes += try encoder.encode(value)
            } catch {
                throw FactoryError.invalidArgument(name: "task \(header.name)", message: "cannot be written as JSON: \(error)")
            }
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }

    /// Writes the file to `path` atomically, after checking that it reads back: a task the
    /// reader would refuse is refused here with the reader's error, naming `path`, and nothing
    /// is written.
    public func write(to path: String) throws {
        let bytes = try encoded()
        _ = try Self.parse(bytes, file: path)
        try AtomicFile.write(bytes, toPath: path)
    }
}
