import FactoryCore
import Foundation

/// Streams JSON objects, one per line, from a JSON Lines file; blank lines are skipped.
///
/// Errors name the file and the line: `corpus.jsonl is corrupt: line 12: …`.
public final class JSONLinesReader {
    private let lines: LineReader
    /// The file being read.
    public let path: String

    /// Opens `path` for reading.
    public init(path: String) throws {
        self.path = path
        self.lines = try LineReader(path: path)
    }

    /// The number of the line the last returned object came from.
    public var lineNumber: Int { lines.lineNumber }

    /// The next object as Foundation values (`String`, `NSNumber`, arrays, dictionaries), or
    /// `nil` at the end of the file.
    public func nextObject() throws -> [String: Any]? {
        while let line = try lines.nextLine() {
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let parsed: Any
            do {
                parsed = try JSONSerialization.jsonObject(with: Data(line), options: [.fragmentsAllowed])
            } catch {
                throw FactoryError.corrupt(path: path, reason: "line \(lines.lineNumber): not valid JSON")
            }
            guard let object = parsed as? [String: Any] else {
                throw FactoryError.corrupt(path: path, reason: "line \(lines.lineNumber): expected a JSON object")
            }
            return object
        }
        return nil
    }

    /// The next document written in the factory's document format, or `nil` at the end.
    public func nextDocument() throws -> Document? {
        guard let object = try nextObject() else { return nil }
        func string(_ key: String) throws -> String {
            guard let value = object[key] as? String else {
                throw FactoryError.corrupt(
                    path: path, reason: "line \(lines.lineNumber): field '\(key)' is missing or not a string")
            }
            return value
        }
        var metadata = [String: String]()
        if let raw = object["metadata"] {
            guard let table = raw as? [String: Any] else {
                throw FactoryError.corrupt(path: path, reason: "line \(lines.lineNumber): field 'metadata' is not an object")
            }
            for (key, value) in table { metadata[key] = JSONLinesReader.text(of: value) }
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

    /// A JSON value as metadata text: strings as they are, everything else as compact JSON.
    static func text(of value: Any) -> String {
        if let string = value as? String { return string }
        if let data = try? JSONSerialization.data(
            withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes]) {
            return String(decoding: data, as: UTF8.self)
        }
        return "\(value)"
    }
}
