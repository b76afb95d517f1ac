extension ConfigValue {
    /// What JSON `null` means to a parse.
    public enum NullMembers: Sendable {
        /// `null` anywhere is an error.
        case reject
        /// An object member whose value is `null` is absent (Hugging Face writes unset ids so).
        case dropFromTables
    }

    /// Parses JSON bytes into a value tree; `source` names them in errors.
    public static func parseJSON(_ bytes: [UInt8], source: String, nullMembers: NullMembers = .dropFromTables) throws -> ConfigValue {
        var parser = JSONParser(bytes: bytes, source: source, nulls: nullMembers == .dropFromTables ? .dropFromObjects : .reject)
        return ConfigValue(nullFree: try parser.parseDocument())
    }

    /// `value`, which has no `null` in it (the parser rejected or dropped them).
    private init(nullFree value: JSONValue) {
        switch value {
        case .object(let members): self = .table(members.mapValues(ConfigValue.init(nullFree:)))
        case .array(let elements): self = .array(elements.map(ConfigValue.init(nullFree:)))
        case .string(let text): self = .string(text)
        case .integer(let number): self = .integer(number)
        case .float(let number): self = .float(number)
        case .bool(let flag): self = .bool(flag)
        case .null: preconditionFailure("the JSON parser let a null through")
        }
    }
}
