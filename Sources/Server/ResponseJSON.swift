import FactoryCore

/// A response body as a value, written with its object members in the order given and
/// single-precision numbers in their shortest form (requests are read with FactoryCore's
/// `ResponseJSON`; strings are escaped by FactoryCore's `JSONText`).
public enum ResponseJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    /// A single-precision number, written in its shortest form (log-probabilities).
    case float(Float)
    case string(String)
    case array([ResponseJSON])
    /// Members in order; lookups are linear, which suits the small objects of the API.
    case object([(key: String, value: ResponseJSON)])

    /// The compact JSON text of the value.
    public var serialized: String {
        var text = ""
        write(into: &text)
        return text
    }

    public static func == (lhs: ResponseJSON, rhs: ResponseJSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.int(let a), .int(let b)): a == b
        case (.double(let a), .double(let b)): a == b
        case (.float(let a), .float(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.map(\.key) == b.map(\.key) && a.map(\.value) == b.map(\.value)
        default: false
        }
    }

    private func write(into text: inout String) {
        switch self {
        case .null: text += "null"
        case .bool(let value): text += value ? "true" : "false"
        case .int(let value): text += String(value)
        case .double(let value): text += Self.number(value)
        case .float(let value): text += value.isFinite ? "\(value)" : Self.number(Double(value))
        case .string(let value): Self.writeString(value, into: &text)
        case .array(let values):
            text += "["
            for (index, value) in values.enumerated() {
                if index > 0 { text += "," }
                value.write(into: &text)
            }
            text += "]"
        case .object(let members):
            text += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { text += "," }
                Self.writeString(member.key, into: &text)
                text += ":"
                member.value.write(into: &text)
            }
            text += "}"
        }
    }

    /// JSON has no infinities: they are written as ±9999, as vLLM writes a log-probability of
    /// minus infinity; NaN is written as null.
    private static func number(_ value: Double) -> String {
        if value.isNaN { return "null" }
        if value.isInfinite { return value < 0 ? "-9999.0" : "9999.0" }
        return "\(value)"
    }

    private static func writeString(_ value: String, into text: inout String) {
        text += JSONText.quoted(value)
    }
}
