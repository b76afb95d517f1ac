/// Lets a `ConfigValue` tree be written by any `Encoder` (JSON inside `Encodable` records, TOML).
public struct EncodableConfigValue: Encodable {
    public let value: ConfigValue

    public init(_ value: ConfigValue) { self.value = value }

    public func encode(to encoder: Encoder) throws {
        switch value {
        case .table(let entries):
            var container = encoder.container(keyedBy: NamedKey.self)
            for (key, entry) in entries { try container.encode(EncodableConfigValue(entry), forKey: NamedKey(key)) }
        case .array(let elements):
            var container = encoder.unkeyedContainer()
            for element in elements { try container.encode(EncodableConfigValue(element)) }
        case .string(let text), .dateTime(let text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case .integer(let number):
            var container = encoder.singleValueContainer()
            try container.encode(number)
        case .float(let number):
            var container = encoder.singleValueContainer()
            try container.encode(number)
        case .bool(let flag):
            var container = encoder.singleValueContainer()
            try container.encode(flag)
        }
    }
}

/// A coding key with any name.
struct NamedKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
