import FactoryCore

/// Checks on the short labels the store uses as keys (kinds, roles, ids, tags, metric keys).
enum Validation {
    /// A label is 1–200 characters, without control characters or leading or trailing spaces.
    static func label(_ text: String, field: String) throws {
        let count = text.unicodeScalars.count
        guard count > 0, count <= 200 else {
            throw FactoryError.invalidArgument(name: field, message: "must be 1 to 200 characters, got \(count)")
        }
        let scalars = text.unicodeScalars
        let hasControl = scalars.contains { scalar in
            scalar.isASCII ? scalar.value < 0x20 || scalar.value == 0x7F : scalar.properties.generalCategory == .control
        }
        guard !hasControl, scalars.first!.properties.isWhitespace == false, scalars.last!.properties.isWhitespace == false else {
            throw FactoryError.invalidArgument(name: field, message: "'\(text)' has control characters or surrounding spaces")
        }
    }

    /// Whether `byte` may appear in a run id: `[A-Za-z0-9._-]`.
    private static func isRunIDByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    /// A run id: 1–64 characters from `[A-Za-z0-9._-]`.
    static func runID(_ text: String) throws {
        let bytes = text.utf8
        guard !bytes.isEmpty, bytes.count <= 64, bytes.allSatisfy(isRunIDByte) else {
            throw FactoryError.invalidArgument(name: "run id", message: "'\(text)' must be 1 to 64 characters from A-Z a-z 0-9 . _ -")
        }
    }
}
