import TOMLKit

extension ConfigValue {
    /// The tree as TOML text (a table at the top), for writing configs a program derived.
    public func tomlText() throws -> String {
        guard case .table = self else {
            throw FactoryError.invalidArgument(name: "TOML document", message: "the top level must be a table, got \(kindName)")
        }
        return try TOMLTable(EncodableConfigValue(self)).convert()
    }
}
