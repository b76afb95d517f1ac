import TOMLKit

/// A parsed configuration document as a plain value tree, independent of the file format.
public indirect enum ConfigValue: Equatable, Sendable {
    case table([String: ConfigValue])
    case array([ConfigValue])
    case string(String)
    case integer(Int)
    case float(Double)
    case bool(Bool)
    /// TOML dates and times, kept as their RFC 3339 text.
    case dateTime(String)

    /// The name of this value's kind as a user reads it in an error message.
    public var kindName: String {
        switch self {
        case .table: return "a table"
        case .array: return "an array"
        case .string(let text): return "the string \"\(text)\""
        case .integer(let number): return "the integer \(number)"
        case .float(let number): return "the number \(number)"
        case .bool(let flag): return "the boolean \(flag)"
        case .dateTime(let text): return "the date \(text)"
        }
    }

    /// Parses TOML text.
    ///
    /// - Parameter source: the file name to put in error messages.
    /// - Throws: `FactoryError.config` naming `source` for a syntax error (with its line), and naming
    ///   the key path of any `nan` or `inf`: configuration numbers are finite everywhere, so no
    ///   consumer of the tree needs to check.
    public static func parseTOML(_ text: String, source: String) throws -> ConfigValue {
        try TOMLTableHeaderCheck.check(text, source: source)
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw FactoryError.config(
                file: source, keyPath: "", line: error.source.begin.line,
                message: "TOML syntax error: \(error.description)")
        }
        return try convert(table, path: "", source: source)
    }

    /// The message for a NaN or infinite number in a configuration file, TOML or JSON.
    static func nonFiniteMessage(_ number: Double) -> String {
        "\(number) is not a finite number; configuration numbers must be finite"
    }

    private static func convert(_ table: TOMLTable, path: String, source: String) throws -> ConfigValue {
        var entries = [String: ConfigValue]()
        for key in table.keys {
            if let value = table[key] {
                entries[key] = try convert(value, path: path.isEmpty ? key : "\(path).\(key)", source: source)
            }
        }
        return .table(entries)
    }

    private static func convert(_ value: TOMLValueConvertible, path: String, source: String) throws -> ConfigValue {
        switch value.type {
        case .table: return try convert(value.table ?? TOMLTable(), path: path, source: source)
        case .array:
            let elements = value.array.map { Array($0) } ?? []
            return .array(try elements.enumerated().map { try convert($0.element, path: "\(path)[\($0.offset)]", source: source) })
        case .string: return .string(value.string ?? "")
        case .int: return .integer(value.int ?? 0)
        case .double:
            let number = value.double ?? 0
            guard number.isFinite else {
                throw FactoryError.config(file: source, keyPath: path, line: nil, message: nonFiniteMessage(number))
            }
            return .float(number)
        case .bool: return .bool(value.bool ?? false)
        case .date, .time, .dateTime: return .dateTime(value.debugDescription)
        }
    }
}
