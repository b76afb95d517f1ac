import FactoryCore

/// The members of one JSON object of a task file, read strictly: every error is a
/// ``FactoryError/config(file:keyPath:line:message:)`` naming the file, the line and the field
/// (`header.chance`, `choices[2]`), and a member nobody asked for is an error too.
struct TaskLineFields {
    let file: String
    let line: Int
    /// The key path of this object in the line (`header` for the header's fields, empty for a
    /// document's).
    let prefix: String
    private let members: [String: JSONValue]

    /// The object of `value`, or an error naming `prefix` (the whole line when empty).
    init(_ value: JSONValue, file: String, line: Int, prefix: String = "") throws {
        self.file = file
        self.line = line
        self.prefix = prefix
        guard case .object(let members) = value else {
            throw FactoryError.config(file: file, keyPath: prefix, line: line, message: "expected a JSON object")
        }
        self.members = members
    }

    /// Parses one line of JSON text.
    static func parse(_ bytes: ArraySlice<UInt8>, file: String, line: Int) throws -> JSONValue {
        do {
            return try JSONValue.parse(Array(bytes), source: file)
        } catch FactoryError.config(let source, let keyPath, nil, let message) {
            throw FactoryError.config(file: source, keyPath: keyPath, line: line, message: message)
        }
    }

    func error(_ key: String, _ message: String) -> FactoryError {
        .config(file: file, keyPath: path(key), line: line, message: message)
    }

    func path(_ key: String) -> String { prefix.isEmpty ? key : "\(prefix).\(key)" }

    /// Refuses members other than `known`, naming the first unknown one in sorted order.
    func requireOnly(_ known: Set<String>) throws {
        if let unknown = members.keys.filter({ !known.contains($0) }).sorted().first {
            throw error(unknown, "unknown field (expected one of: \(known.sorted().joined(separator: ", ")))")
        }
    }

    func value(_ key: String) throws -> JSONValue {
        guard let value = members[key], value != .null else { throw error(key, "missing") }
        return value
    }

    func has(_ key: String) -> Bool { members[key] != nil && members[key] != .null }

    func string(_ key: String, allowEmpty: Bool = false) throws -> String {
        guard case .string(let text) = try value(key) else { throw error(key, "expected a string") }
        guard allowEmpty || !text.isEmpty else { throw error(key, "must not be empty") }
        return text
    }

    func optionalString(_ key: String) throws -> String? {
        has(key) ? try string(key) : nil
    }

    func strings(_ key: String, minimumCount: Int, allowEmptyElements: Bool) throws -> [String] {
        guard case .array(let elements) = try value(key) else { throw error(key, "expected an array of strings") }
        guard elements.count >= minimumCount else {
            throw error(key, "must hold at least \(minimumCount) strings, got \(elements.count)")
        }
        return try elements.enumerated().map { index, element in
            guard case .string(let text) = element else { throw error("\(key)[\(index)]", "expected a string") }
            guard allowEmptyElements || !text.isEmpty else { throw error("\(key)[\(index)]", "must not be empty") }
            return text
        }
    }

    func integer(_ key: String, in range: ClosedRange<Int>) throws -> Int {
        guard case .integer(let number) = try value(key) else { throw error(key, "expected an integer") }
        guard range.contains(number) else {
            throw error(key, "must be between \(range.lowerBound) and \(range.upperBound), got \(number)")
        }
        return number
    }

    func number(_ key: String, in range: ClosedRange<Double>) throws -> Double {
        let number: Double
        switch try value(key) {
        case .integer(let integer): number = Double(integer)
        case .float(let float): number = float
        default: throw error(key, "expected a number")
        }
        guard range.contains(number) else { throw error(key, "must be between \(range.lowerBound) and \(range.upperBound), got \(number)") }
        return number
    }

    func object(_ key: String) throws -> JSONValue {
        let value = try value(key)
        guard case .object = value else { throw error(key, "expected a JSON object") }
        return value
    }
}
