import Foundation

/// Reads and writes JSON artifact files (models, reports): writes are atomic with sorted keys,
/// and a file that does not match its schema is reported with the file and the field.
public enum JSONArtifact {
    /// Writes `value` as pretty-printed JSON with sorted keys, atomically.
    public static func write<T: Encodable>(_ value: T, toPath path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(value)
        } catch {
            throw FactoryError.invalidArgument(name: path, message: "cannot encode as JSON: \(error)")
        }
        try AtomicFile.write(data + Data("\n".utf8), toPath: path)
    }

    /// Reads and decodes the JSON file at `path`.
    ///
    /// - Throws: ``FactoryError/fileNotFound(path:)``, or ``FactoryError/corrupt(path:reason:)``
    ///   naming the field that is missing or has the wrong type (`field 'weights.indices': …`).
    public static func read<T: Decodable>(_ type: T.Type, path: String) throws -> T {
        guard let data = FileManager.default.contents(atPath: path) else { throw FactoryError.fileNotFound(path: path) }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw FactoryError.corrupt(path: path, reason: describe(error))
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func field(_ path: [CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingPrefix(".").description
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "field '\(field(context.codingPath + [key]))' is missing"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return "field '\(field(context.codingPath))': expected \(type)"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "not valid JSON" : "field '\(field(context.codingPath))': \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
