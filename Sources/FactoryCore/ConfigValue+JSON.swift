import Foundation

extension ConfigValue {
    /// Parses JSON text into a value tree; `null` members are dropped, so they read as absent keys.
    public static func parseJSON(_ data: Data, source: String) throws -> ConfigValue {
        do {
            guard let value = try JSONDecoder().decode(JSONNode.self, from: data).value else {
                throw FactoryError.config(file: source, keyPath: "", line: nil, message: "the document is null")
            }
            return value
        } catch let error as DecodingError {
            throw FactoryError.config(file: source, keyPath: "", line: nil, message: "malformed JSON: \(Self.describe(error))")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context): return (context.underlyingError.map { "\($0)" } ?? context.debugDescription)
        default: return "\(error)"
        }
    }
}

/// One JSON value decoded without losing the integer/float/boolean distinction.
private struct JSONNode: Decodable {
    let value: ConfigValue?

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            value = nil
        } else if let flag = try? container.decode(Bool.self) {
            value = .bool(flag)
        } else if let integer = try? container.decode(Int.self) {
            value = .integer(integer)
        } else if let number = try? container.decode(Double.self) {
            value = .float(number)
        } else if let text = try? container.decode(String.self) {
            value = .string(text)
        } else if let elements = try? container.decode([JSONNode].self) {
            value = .array(elements.compactMap(\.value))
        } else {
            let members = try container.decode([String: JSONNode].self)
            value = .table(members.compactMapValues(\.value))
        }
    }
}
