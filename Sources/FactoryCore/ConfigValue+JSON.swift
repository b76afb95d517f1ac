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
        var parser = JSONParser(bytes: bytes, source: source, dropsNullMembers: nullMembers == .dropFromTables)
        return try parser.parseDocument()
    }
}
