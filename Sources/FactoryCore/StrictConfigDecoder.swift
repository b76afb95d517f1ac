/// A `Decoder` over a `ConfigValue` tree that is strict where configuration needs it:
/// it reports the full key path and the expected type on every mismatch, refuses integers that do
/// not fit and numbers that are not finite, and remembers which keys were read so that unknown
/// keys can be rejected afterwards.
struct StrictConfigDecoder: Decoder {
    let value: ConfigValue
    let codingPath: [CodingKey]
    let readKeys: ReadKeyLog
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .table(let entries) = value else {
            throw ConfigDecodingFailure(path: codingPath, message: "expected a table, found \(value.kindName)")
        }
        return KeyedDecodingContainer(KeyedContainer<Key>(entries: entries, codingPath: codingPath, readKeys: readKeys))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard case .array(let elements) = value else {
            throw ConfigDecodingFailure(path: codingPath, message: "expected an array, found \(value.kindName)")
        }
        return UnkeyedContainer(elements: elements, codingPath: codingPath, readKeys: readKeys)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer {
        SingleValueContainer(value: value, codingPath: codingPath, readKeys: readKeys)
    }

    /// Decodes `type` from `value`, unboxing scalars directly and recursing for everything else.
    static func unbox<T: Decodable>(
        _ value: ConfigValue, as type: T.Type, path: [CodingKey], readKeys: ReadKeyLog
    ) throws -> T {
        func mismatch(_ expected: String) -> ConfigDecodingFailure {
            ConfigDecodingFailure(path: path, message: "expected \(expected), found \(value.kindName)")
        }
        func integer<I: FixedWidthInteger>(_: I.Type) throws -> I {
            guard case .integer(let number) = value else { throw mismatch("an integer") }
            guard let exact = I(exactly: number) else {
                throw ConfigDecodingFailure(
                    path: path, message: "\(number) is out of range for \(I.self) (\(I.min)...\(I.max))")
            }
            return exact
        }
        switch type {
        case is Bool.Type:
            guard case .bool(let flag) = value else { throw mismatch("a boolean") }
            return flag as! T
        case is String.Type:
            switch value {
            case .string(let text), .dateTime(let text): return text as! T
            default: throw mismatch("a string")
            }
        case is Double.Type, is Float.Type:
            let number: Double
            switch value {
            case .float(let float): number = float
            case .integer(let integer): number = Double(integer)
            default: throw mismatch("a number")
            }
            // Parsers refuse NaN and infinity already; trees built in code and Float's smaller
            // range are caught here, so a decoded number is always finite.
            guard number.isFinite else {
                throw ConfigDecodingFailure(path: path, message: ConfigValue.nonFiniteMessage(number))
            }
            guard type is Float.Type else { return number as! T }
            guard Float(number).isFinite else {
                throw ConfigDecodingFailure(
                    path: path, message: "\(number) is out of range for a 32-bit float (magnitude at most \(Float.greatestFiniteMagnitude))")
            }
            return Float(number) as! T
        case is Int.Type: return try integer(Int.self) as! T
        case is Int8.Type: return try integer(Int8.self) as! T
        case is Int16.Type: return try integer(Int16.self) as! T
        case is Int32.Type: return try integer(Int32.self) as! T
        case is Int64.Type: return try integer(Int64.self) as! T
        case is UInt.Type: return try integer(UInt.self) as! T
        case is UInt8.Type: return try integer(UInt8.self) as! T
        case is UInt16.Type: return try integer(UInt16.self) as! T
        case is UInt32.Type: return try integer(UInt32.self) as! T
        case is UInt64.Type: return try integer(UInt64.self) as! T
        default:
            return try T(from: StrictConfigDecoder(value: value, codingPath: path, readKeys: readKeys))
        }
    }
}

/// The keys a decode has read, grouped by the key path of their table; shared by every container
/// of one decode.
final class ReadKeyLog {
    private(set) var keysByTable = [String: Set<String>]()

    func record(_ path: [CodingKey]) {
        guard let key = path.last else { return }
        keysByTable[ConfigKeyPath.render(Array(path.dropLast())), default: []].insert(key.stringValue)
    }
}

/// A decoding failure at a key path; `ConfigLoader` turns it into a `FactoryError.config`.
struct ConfigDecodingFailure: Error {
    let path: [CodingKey]
    let message: String
}

/// Renders coding paths as users write them: `train.schedule.warmup`, `sources[2].path`.
enum ConfigKeyPath {
    static func render(_ path: [CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue, key.stringValue == "\(index)" || key.stringValue.hasPrefix("Index ") {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }
}

/// A coding key for array positions.
struct IndexKey: CodingKey {
    let intValue: Int?
    let stringValue: String
    init(_ index: Int) {
        intValue = index
        stringValue = "\(index)"
    }
    init?(intValue: Int) { self.init(intValue) }
    init?(stringValue: String) { nil }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let entries: [String: ConfigValue]
    let codingPath: [CodingKey]
    let readKeys: ReadKeyLog

    var allKeys: [Key] { entries.keys.sorted().compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool {
        readKeys.record(codingPath + [key])
        return entries[key.stringValue] != nil
    }

    private func entry(_ key: Key, expecting expected: String) throws -> ConfigValue {
        readKeys.record(codingPath + [key])
        guard let value = entries[key.stringValue] else {
            throw ConfigDecodingFailure(path: codingPath + [key], message: "missing required key (expected \(expected))")
        }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        readKeys.record(codingPath + [key])
        return entries[key.stringValue] == nil
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try StrictConfigDecoder.unbox(entry(key, expecting: ConfigTypeName.of(type)), as: type, path: codingPath + [key], readKeys: readKeys)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        readKeys.record(codingPath + [key])
        guard let value = entries[key.stringValue] else { return nil }
        return try StrictConfigDecoder.unbox(value, as: type, path: codingPath + [key], readKeys: readKeys)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try StrictConfigDecoder(value: entry(key, expecting: "a table"), codingPath: codingPath + [key], readKeys: readKeys)
            .container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
        try StrictConfigDecoder(value: entry(key, expecting: "an array"), codingPath: codingPath + [key], readKeys: readKeys)
            .unkeyedContainer()
    }

    func superDecoder() throws -> Decoder {
        StrictConfigDecoder(value: .table(entries), codingPath: codingPath, readKeys: readKeys)
    }

    func superDecoder(forKey key: Key) throws -> Decoder {
        try StrictConfigDecoder(value: entry(key, expecting: "a value"), codingPath: codingPath + [key], readKeys: readKeys)
    }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let elements: [ConfigValue]
    let codingPath: [CodingKey]
    let readKeys: ReadKeyLog
    var currentIndex = 0

    init(elements: [ConfigValue], codingPath: [CodingKey], readKeys: ReadKeyLog) {
        self.elements = elements
        self.codingPath = codingPath
        self.readKeys = readKeys
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private mutating func next(expecting expected: String) throws -> (ConfigValue, [CodingKey]) {
        let path = codingPath + [IndexKey(currentIndex)]
        guard !isAtEnd else {
            throw ConfigDecodingFailure(path: path, message: "the array is too short (expected \(expected))")
        }
        defer { currentIndex += 1 }
        return (elements[currentIndex], path)
    }

    mutating func decodeNil() throws -> Bool { false }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, path) = try next(expecting: ConfigTypeName.of(type))
        return try StrictConfigDecoder.unbox(value, as: type, path: path, readKeys: readKeys)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (value, path) = try next(expecting: "a table")
        return try StrictConfigDecoder(value: value, codingPath: path, readKeys: readKeys).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
        let (value, path) = try next(expecting: "an array")
        return try StrictConfigDecoder(value: value, codingPath: path, readKeys: readKeys).unkeyedContainer()
    }

    mutating func superDecoder() throws -> Decoder {
        let (value, path) = try next(expecting: "a value")
        return StrictConfigDecoder(value: value, codingPath: path, readKeys: readKeys)
    }
}

private struct SingleValueContainer: SingleValueDecodingContainer {
    let value: ConfigValue
    let codingPath: [CodingKey]
    let readKeys: ReadKeyLog

    func decodeNil() -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try StrictConfigDecoder.unbox(value, as: type, path: codingPath, readKeys: readKeys)
    }
}

/// Names Swift types the way a configuration author thinks of them.
enum ConfigTypeName {
    static func of(_ type: Any.Type) -> String {
        switch type {
        case is Bool.Type: return "a boolean"
        case is String.Type: return "a string"
        case is Double.Type, is Float.Type: return "a number"
        case is any FixedWidthInteger.Type: return "an integer"
        case is any RangeReplaceableCollection.Type: return "an array"
        default: return "a value of type \(type)"
        }
    }
}
