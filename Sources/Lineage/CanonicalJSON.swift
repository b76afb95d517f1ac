import FactoryCore

/// The canonical JSON form of a configuration or metadata tree: keys sorted by their UTF-8 bytes,
/// no insignificant whitespace, integers without a fraction, floats in Swift's shortest
/// round-trip form (always with a `.` or an exponent, so they stay floats), strings with only the
/// escapes JSON requires. Equal trees give byte-equal text, so the text's digest identifies the
/// tree.
///
/// TOML dates are written as strings, so they read back as `.string`.
public enum CanonicalJSON {
    /// The canonical text of `value`.
    ///
    /// - Throws: `FactoryError.invalidArgument` naming the key path of a NaN or infinite float,
    ///   which JSON cannot represent.
    public static func encode(_ value: ConfigValue) throws -> String {
        var output = ""
        try write(value, path: "", into: &output)
        return output
    }

    /// Parses JSON text into a value tree; `source` names the text in error messages.
    ///
    /// Numbers written with a fraction or an exponent become `.float`, others `.integer`.
    public static func decode(_ text: String, source: String) throws -> ConfigValue {
        try ConfigValue.parseJSON(Array(text.utf8), source: source, nullMembers: .reject)
    }

    private static func write(_ value: ConfigValue, path: String, into output: inout String) throws {
        switch value {
        case .table(let entries):
            output += "{"
            for (index, key) in sortedKeys(entries).enumerated() {
                if index > 0 { output += "," }
                writeString(key, into: &output)
                output += ":"
                try write(entries[key]!, path: path.isEmpty ? key : "\(path).\(key)", into: &output)
            }
            output += "}"
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                try write(element, path: "\(path)[\(index)]", into: &output)
            }
            output += "]"
        case .string(let text), .dateTime(let text):
            writeString(text, into: &output)
        case .integer(let number):
            output += String(number)
        case .float(let number):
            guard number.isFinite else {
                throw FactoryError.invalidArgument(
                    name: path.isEmpty ? "value" : path, message: "\(number) cannot be written as JSON")
            }
            output += number.description
        case .bool(let flag):
            output += flag ? "true" : "false"
        }
    }

    /// Keys in UTF-8 byte order, which does not depend on the platform's string collation.
    static func sortedKeys(_ entries: [String: ConfigValue]) -> [String] {
        entries.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    private static func writeString(_ text: String, into output: inout String) {
        output += JSONText.quoted(text, escapes: .newlinesAndTabs)
    }
}
