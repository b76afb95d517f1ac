import FactoryCore
import Foundation

/// JSON for records shown to people and scripts: pretty, keys sorted, dates in ISO 8601.
public enum RecordJSON {
    /// Encodes `value`.
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw FactoryError.invalidArgument(name: "record", message: "could not be written as JSON: \(error)")
        }
    }
}
