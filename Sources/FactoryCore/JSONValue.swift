import Foundation

/// A JSON value: what ``parse(_:source:)`` reads, and what JSON Lines files decode to through
/// `JSONDecoder` (which keeps every character of a string, U+FEFF included).
public enum JSONValue: Codable, Equatable, Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number that fits an `Int` exactly.
    case integer(Int)
    /// Any other number.
    case float(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object.
    case object([String: JSONValue])

    /// Decodes whichever kind of value is there.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let number = try? container.decode(Int.self) {
            self = .integer(number)
        } else if let number = try? container.decode(Double.self) {
            self = .float(number)
        } else if let elements = try? container.decode([JSONValue].self) {
            self = .array(elements)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Encodes the value as the JSON it came from.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .integer(let number): try container.encode(number)
        case .float(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        case .array(let elements): try container.encode(elements)
        case .object(let members): try container.encode(members)
        }
    }

    /// Parses JSON bytes (`null` included); `source` names them in errors.
    ///
    /// - Throws: ``FactoryError/config(file:keyPath:line:message:)`` naming the byte offset.
    public static func parse(_ bytes: [UInt8], source: String) throws -> JSONValue {
        var parser = JSONParser(bytes: bytes, source: source, nulls: .keep)
        return try parser.parseDocument()
    }

    /// The string, or `nil` for any other kind of value.
    public var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The value as document metadata text: a string as it is, anything else as compact JSON
    /// with sorted keys (`42`, `true`, `["a","b"]`).
    public var metadataText: String {
        if case .string(let text) = self { return text }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every case encodes (numbers are finite: JSON has no others).
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }
}
