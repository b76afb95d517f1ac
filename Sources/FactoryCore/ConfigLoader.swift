import Foundation

/// Decodes configuration files into `Decodable` types, strictly: unknown keys are errors, and
/// every error names the file, the key path and what was expected.
public enum ConfigLoader {
    /// Reads and decodes a TOML file (a regular file: a device or a FIFO is refused, not read).
    public static func decode<T: Decodable>(_ type: T.Type, tomlFile path: String) throws -> T {
        try FileKind.requireRegularFile(path, name: "config file")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FactoryError.fileNotFound(path: path)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw FactoryError.config(file: path, keyPath: "", line: nil, message: "the file is not valid UTF-8")
        }
        return try decode(type, toml: text, source: path)
    }

    /// Decodes TOML text; `source` names it in error messages.
    public static func decode<T: Decodable>(_ type: T.Type, toml text: String, source: String) throws -> T {
        try decode(type, from: ConfigValue.parseTOML(text, source: source), source: source)
    }

    /// Decodes an already parsed value tree.
    public static func decode<T: Decodable>(_ type: T.Type, from value: ConfigValue, source: String) throws -> T {
        let readKeys = ReadKeyLog()
        let decoded: T
        do {
            decoded = try StrictConfigDecoder.unbox(value, as: type, path: [], readKeys: readKeys)
        } catch let failure as ConfigDecodingFailure {
            throw FactoryError.config(
                file: source, keyPath: ConfigKeyPath.render(failure.path), line: nil, message: failure.message)
        } catch let error as DecodingError {
            let (path, message) = describe(error)
            throw FactoryError.config(file: source, keyPath: path, line: nil, message: message)
        }
        if let unknown = firstUnknownKey(in: value, prefix: "", readKeys: readKeys.keysByTable) {
            throw FactoryError.config(file: source, keyPath: unknown.path, line: nil, message: unknown.message)
        }
        return decoded
    }

    /// Depth-first, in sorted key order, so the same file always reports the same key first.
    private static func firstUnknownKey(
        in value: ConfigValue, prefix: String, readKeys: [String: Set<String>]
    ) -> (path: String, message: String)? {
        switch value {
        case .table(let entries):
            let known = readKeys[prefix] ?? []
            for key in entries.keys.sorted() {
                let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                guard known.contains(key) else {
                    let hint = known.isEmpty ? "" : " (known keys here: \(known.sorted().joined(separator: ", ")))"
                    return (path, "unknown key\(hint)")
                }
                if let found = firstUnknownKey(in: entries[key]!, prefix: path, readKeys: readKeys) { return found }
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                if let found = firstUnknownKey(in: element, prefix: "\(prefix)[\(index)]", readKeys: readKeys) {
                    return found
                }
            }
        default:
            break
        }
        return nil
    }

    private static func describe(_ error: DecodingError) -> (String, String) {
        switch error {
        case .typeMismatch(let type, let context):
            return (ConfigKeyPath.render(context.codingPath), "expected \(ConfigTypeName.of(type)): \(context.debugDescription)")
        case .valueNotFound(let type, let context):
            return (ConfigKeyPath.render(context.codingPath), "expected \(ConfigTypeName.of(type)): \(context.debugDescription)")
        case .keyNotFound(let key, let context):
            return (ConfigKeyPath.render(context.codingPath + [key]), "missing required key")
        case .dataCorrupted(let context):
            return (ConfigKeyPath.render(context.codingPath), context.debugDescription)
        @unknown default:
            return ("", "\(error)")
        }
    }
}
