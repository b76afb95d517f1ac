import FactoryCore
import Foundation

/// Typed reading of a request body's fields; every failure is a 400 naming the field.
struct JSONFields {
    /// The body's members.
    let object: JSONValue
    /// The field-path prefix of these members (`messages[2]`), empty at the top.
    let path: String

    /// Reads `data` as a JSON object.
    ///
    /// - Throws: `APIError` (400) for malformed JSON or a body that is not an object.
    init(body data: Data) throws {
        let value: JSONValue
        do {
            value = try JSONValue.parse(Array(data), source: "the request body")
        } catch let error as FactoryError {
            throw APIError.invalid(nil, "the request body is not valid JSON (\(error))")
        }
        try self.init(value, path: "")
    }

    init(_ value: JSONValue, path: String) throws {
        guard case .object = value else {
            throw APIError.invalid(path.isEmpty ? nil : path, "\(path.isEmpty ? "the request body" : path) must be an object, not \(value.typeName)")
        }
        self.object = value
        self.path = path
    }

    /// The full name of member `key`.
    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Member `key`, `nil` when missing or null.
    func value(_ key: String) -> JSONValue? {
        guard case .object(let members) = object, let value = members[key], value != .null else { return nil }
        return value
    }

    func string(_ key: String) throws -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else { throw typeError(key, "a string", value) }
        return text
    }

    func requiredString(_ key: String) throws -> String {
        guard let text = try string(key) else { throw APIError.invalid(name(key), "\(name(key)) is required") }
        return text
    }

    func bool(_ key: String) throws -> Bool? {
        guard let value = value(key) else { return nil }
        guard case .bool(let flag) = value else { throw typeError(key, "a boolean", value) }
        return flag
    }

    func int(_ key: String) throws -> Int? {
        guard let value = value(key) else { return nil }
        switch value {
        case .integer(let number): return number
        case .float(let number) where number.rounded() == number && abs(number) < 1e15: return Int(number)
        default: throw typeError(key, "an integer", value)
        }
    }

    func number(_ key: String) throws -> Double? {
        guard let value = value(key) else { return nil }
        switch value {
        case .integer(let number): return Double(number)
        case .float(let number): return number
        default: throw typeError(key, "a number", value)
        }
    }

    /// An integer in `range`, or `nil` when missing.
    func int(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let number = try int(key) else { return nil }
        guard range.contains(number) else { throw rangeError(key, "\(number)", range.lowerBound, range.upperBound) }
        return number
    }

    /// A number in `range`, or `nil` when missing.
    func number(_ key: String, in range: ClosedRange<Double>) throws -> Double? {
        guard let number = try number(key) else { return nil }
        guard range.contains(number) else { throw rangeError(key, "\(number)", range.lowerBound, range.upperBound) }
        return number
    }

    /// `stop`: a string or a list of strings.
    func strings(_ key: String) throws -> [String] {
        guard let value = value(key) else { return [] }
        switch value {
        case .string(let text): return [text]
        case .array(let items):
            return try items.enumerated().map { index, item in
                guard case .string(let text) = item else {
                    throw APIError.invalid(name(key), "\(name(key))[\(index)] must be a string, not \(item.typeName)")
                }
                return text
            }
        default: throw typeError(key, "a string or a list of strings", value)
        }
    }

    /// Refuses member `key` unless it is missing, null or `allowed`: an option this server does
    /// not implement.
    func refuseUnsupported(_ key: String, unless allowed: JSONValue...) throws {
        guard let value = value(key), !allowed.contains(value) else { return }
        throw APIError.invalid(name(key), "\(name(key)) is not supported by this server (got \(value.metadataText))")
    }

    func typeError(_ key: String, _ expected: String, _ value: JSONValue) -> APIError {
        .invalid(name(key), "\(name(key)) must be \(expected), not \(value.typeName)")
    }

    private func rangeError<Bound>(_ key: String, _ value: String, _ low: Bound, _ high: Bound) -> APIError {
        .invalid(name(key), "\(name(key)) must be between \(low) and \(high), got \(value)")
    }
}

extension JSONValue {
    /// The name of the value's JSON type, for error messages.
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .float: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
