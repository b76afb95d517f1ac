import FactoryCore

/// Indented JSON text as `transformers` writes `config.json`: keys sorted, two-space indent, and
/// floats always with a fraction or an exponent (Swift's shortest round-trip form), so that a
/// float key holding `1.0` stays a float for Python's strict config classes.
enum HuggingFaceJSONText {
    /// The text of `value`, ending with a newline; `source` names the file in errors.
    ///
    /// - Throws: `FactoryError.config` naming the key of a NaN or infinite float.
    static func render(_ value: ConfigValue, source: String) throws -> String {
        var output = ""
        try write(value, path: "", indent: "", source: source, into: &output)
        return output + "\n"
    }

    private static func write(_ value: ConfigValue, path: String, indent: String, source: String, into output: inout String) throws {
        let inner = indent + "  "
        switch value {
        case .table(let entries):
            guard !entries.isEmpty else {
                output += "{}"
                return
            }
            output += "{\n"
            for (index, key) in entries.keys.sorted().enumerated() {
                output += inner + quoted(key) + ": "
                try write(entries[key]!, path: path.isEmpty ? key : "\(path).\(key)", indent: inner, source: source, into: &output)
                output += index + 1 < entries.count ? ",\n" : "\n"
            }
            output += indent + "}"
        case .array(let elements):
            guard !elements.isEmpty else {
                output += "[]"
                return
            }
            output += "[\n"
            for (index, element) in elements.enumerated() {
                output += inner
                try write(element, path: "\(path)[\(index)]", indent: inner, source: source, into: &output)
                output += index + 1 < elements.count ? ",\n" : "\n"
            }
            output += indent + "]"
        case .string(let text), .dateTime(let text):
            output += quoted(text)
        case .integer(let number):
            output += String(number)
        case .float(let number):
            guard number.isFinite else {
                throw FactoryError.config(file: source, keyPath: path, line: nil, message: "\(number) cannot be written as JSON")
            }
            output += "\(number)"
        case .bool(let flag):
            output += flag ? "true" : "false"
        }
    }

    /// A JSON string literal with the escapes JSON requires.
    private static func quoted(_ text: String) -> String {
        JSONText.quoted(text, escapes: .newlinesAndTabs)
    }
}
