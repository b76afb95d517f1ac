import FactoryCore
import Foundation

/// Streams JSON objects, one per line, from a JSON Lines file; blank lines are skipped.
///
/// Lines are decoded with `JSONDecoder`, which keeps text exactly (Foundation's
/// `JSONSerialization` drops U+FEFF at the start of a string or after an escape on Linux).
/// Errors name the file and the line: `corpus.jsonl is corrupt: line 12: …`.
public final class JSONLinesReader {
    private let lines: LineReader
    private let decoder = JSONDecoder()
    /// The file being read.
    public let path: String

    /// Opens `path` for reading.
    public init(path: String) throws {
        self.path = path
        self.lines = try LineReader(path: path)
    }

    /// The number of the line the last returned object came from.
    public var lineNumber: Int { lines.lineNumber }

    /// The next object by member name, or `nil` at the end of the file.
    public func nextObject() throws -> [String: JSONValue]? {
        while let line = try lines.nextLine() {
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            do {
                return try decoder.decode([String: JSONValue].self, from: Data(line))
            } catch DecodingError.typeMismatch(_, let context) where context.codingPath.isEmpty {
                throw FactoryError.corrupt(path: path, reason: "line \(lines.lineNumber): expected a JSON object")
            } catch {
                throw FactoryError.corrupt(path: path, reason: "line \(lines.lineNumber): not valid JSON")
            }
        }
        return nil
    }

    /// The next document written in the factory's document format, or `nil` at the end.
    public func nextDocument() throws -> Document? {
        guard let object = try nextObject() else { return nil }
        func string(_ key: String) throws -> String {
            guard let value = object[key]?.string else {
                throw FactoryError.corrupt(
                    path: path, reason: "line \(lines.lineNumber): field '\(key)' is missing or not a string")
            }
            return value
        }
        var metadata = [String: String]()
        if let raw = object["metadata"] {
            guard case .object(let table) = raw else {
                throw FactoryError.corrupt(path: path, reason: "line \(lines.lineNumber): field 'metadata' is not an object")
            }
            for (key, value) in table { metadata[key] = value.metadataText }
        }
        return Document(
            id: try string("id"), text: try string("text"), domain: try string("domain"),
            source: try string("source"), license: try string("license"), metadata: metadata)
    }

    /// Reads every document of a file.
    public static func readDocuments(path: String) throws -> [Document] {
        let reader = try JSONLinesReader(path: path)
        var documents = [Document]()
        while let document = try reader.nextDocument() { documents.append(document) }
        return documents
    }
}
