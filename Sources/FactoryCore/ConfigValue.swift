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
        return convert(table)
    }

    private static func convert(_ table: TOMLTable) -> ConfigValue {
        var entries = [String: ConfigValue]()
        for key in table.keys {
            if let value = table[key] { entries[key] = convert(value) }
        }
        return .table(entries)
    }

    private static func convert(_ value: TOMLValueConvertible) -> ConfigValue {
        switch value.type {
        case .table: return convert(value.table ?? TOMLTable())
        case .array: return .array((value.array.map { Array($0) } ?? []).map(convert))
        case .string: return .string(value.string ?? "")
        case .int: return .integer(value.int ?? 0)
        case .double: return .float(value.double ?? 0)
        case .bool: return .bool(value.bool ?? false)
        case .date, .time, .dateTime: return .dateTime(value.debugDescription)
        }
    }
}
