import FactoryCore

/// Where one tensor's bytes lie in a safetensors file and how to read them.
struct SafeTensorsEntry: Equatable {
    var name: String
    var dtype: SafeTensorsDType
    var shape: [Int]
    /// The byte range within the data section (after the 8-byte length and the header).
    var range: Range<Int>

    /// Elements in the tensor.
    var elementCount: Int { shape.reduce(1, *) }
}

/// The JSON header of a safetensors file: its tensors in data order and its `__metadata__` strings.
///
/// The rules are those of the reference implementation (huggingface/safetensors): a JSON object
/// mapping each tensor name to `{"dtype", "shape", "data_offsets": [begin, end]}` with offsets
/// relative to the data section, plus an optional `"__metadata__"` object of strings; the tensors'
/// ranges tile the data section exactly, from 0 to its end, without gaps or overlaps.
struct SafeTensorsHeader {
    /// The longest header accepted, as in the reference implementation.
    static let maximumLength = 100_000_000
    /// The reserved key of the free-form string map.
    static let metadataKey = "__metadata__"

    /// The tensors, ordered by where their data lies.
    var entries: [SafeTensorsEntry]
    /// The `__metadata__` map (empty when the file has none).
    var metadata: [String: String]

    /// Lays `tensors` out back to back in the given order, all stored as `dtype`.
    init(layingOut tensors: [(name: String, shape: [Int])], dtype: SafeTensorsDType, metadata: [String: String]) {
        var offset = 0
        entries = tensors.map { tensor in
            let size = tensor.shape.reduce(1, *) * dtype.size
            defer { offset += size }
            return SafeTensorsEntry(name: tensor.name, dtype: dtype, shape: tensor.shape, range: offset..<offset + size)
        }
        self.metadata = metadata
    }

    /// Parses and validates the header `bytes` of the file at `path`, whose data section holds
    /// `dataSize` bytes. Every failure is a `FactoryError.corrupt` naming the file and, where there
    /// is one, the tensor.
    init(parsing bytes: [UInt8], dataSize: Int, path: String) throws {
        func corrupt(_ reason: String) -> FactoryError { .corrupt(path: path, reason: reason) }

        guard case .object(let members) = try SafeTensorsJSON.parse(bytes, path: path, fileOffset: 8) else {
            throw corrupt("the header is not a JSON object")
        }
        var metadata: [String: String] = [:]
        var entries: [SafeTensorsEntry] = []
        for member in members {
            if member.key == Self.metadataKey {
                metadata = try Self.parseMetadata(member.value, corrupt: corrupt)
            } else {
                entries.append(try Self.parseEntry(name: member.key, member.value, corrupt: corrupt))
            }
        }
        entries.sort { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }

        var covered = 0
        var previous: SafeTensorsEntry?
        for entry in entries {
            guard entry.range.upperBound <= dataSize else {
                throw corrupt(
                    "tensor '\(entry.name)' has data_offsets [\(entry.range.lowerBound), \(entry.range.upperBound)] "
                        + "beyond the end of the data section (\(dataSize) bytes); the file is truncated")
            }
            if entry.range.lowerBound < covered, let previous {
                throw corrupt(
                    "tensor '\(entry.name)' (bytes \(entry.range.lowerBound)..<\(entry.range.upperBound)) overlaps "
                        + "tensor '\(previous.name)' (bytes \(previous.range.lowerBound)..<\(previous.range.upperBound))")
            }
            guard entry.range.lowerBound == covered else {
                throw corrupt(
                    "bytes \(covered)..<\(entry.range.lowerBound) of the data section, before tensor '\(entry.name)', "
                        + "belong to no tensor")
            }
            covered = entry.range.upperBound
            previous = entry
        }
        guard covered == dataSize else {
            throw corrupt("the data section has \(dataSize) bytes but its tensors cover only the first \(covered)")
        }
        self.entries = entries
        self.metadata = metadata
    }

    private static func parseMetadata(
        _ value: SafeTensorsJSON, corrupt: (String) -> FactoryError
    ) throws -> [String: String] {
        guard case .object(let members) = value else {
            throw corrupt("'\(metadataKey)' is \(value.kindName), not an object of strings")
        }
        var metadata: [String: String] = [:]
        for member in members {
            guard case .string(let text) = member.value else {
                throw corrupt("'\(metadataKey)' key '\(member.key)' is \(member.value.kindName), not a string")
            }
            metadata[member.key] = text
        }
        return metadata
    }

    private static func parseEntry(
        name: String, _ value: SafeTensorsJSON, corrupt: (String) -> FactoryError
    ) throws -> SafeTensorsEntry {
        func fail(_ message: String) -> FactoryError { corrupt("tensor '\(name)': \(message)") }
        guard case .object(let members) = value else { throw fail("is \(value.kindName), not an object") }
        func field(_ key: String) throws -> SafeTensorsJSON {
            guard let member = members.first(where: { $0.key == key }) else { throw fail("has no \"\(key)\"") }
            return member.value
        }
        func integers(_ key: String) throws -> [Int] {
            let value = try field(key)
            guard case .array(let elements) = value else { throw fail("\"\(key)\" is \(value.kindName), not an array") }
            return try elements.map { element in
                guard case .number(let text) = element, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
                    throw fail("\"\(key)\" holds \(element.kindName), not a non-negative integer")
                }
                guard let number = Int(text) else { throw fail("\"\(key)\" holds \(text), which is too large") }
                return number
            }
        }

        let dtypeValue = try field("dtype")
        guard case .string(let dtypeName) = dtypeValue else { throw fail("\"dtype\" is \(dtypeValue.kindName), not a string") }
        guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
            let known = SafeTensorsDType.allCases.map(\.rawValue).joined(separator: ", ")
            throw fail("dtype '\(dtypeName)' is not one this reader converts to Float (\(known))")
        }
        let shape = try integers("shape")
        let offsets = try integers("data_offsets")
        guard offsets.count == 2 else { throw fail("\"data_offsets\" has \(offsets.count) numbers, not 2 (begin, end)") }
        guard offsets[0] <= offsets[1] else { throw fail("data_offsets [\(offsets[0]), \(offsets[1])] end before they begin") }

        var byteCount = dtype.size
        for extent in shape {
            let (product, overflow) = byteCount.multipliedReportingOverflow(by: extent)
            guard !overflow else { throw fail("shape \(shape) is too large") }
            byteCount = product
        }
        guard offsets[1] - offsets[0] == byteCount else {
            throw fail(
                "data_offsets [\(offsets[0]), \(offsets[1])] hold \(offsets[1] - offsets[0]) bytes, but shape \(shape) "
                    + "of \(dtypeName) needs \(byteCount)")
        }
        return SafeTensorsEntry(name: name, dtype: dtype, shape: shape, range: offsets[0]..<offsets[1])
    }

    /// The header as written: compact JSON with `__metadata__` first (keys in byte order, left out
    /// when empty) and the tensors in data order, padded with spaces to a multiple of 8 bytes so
    /// that the data section starts aligned, as the reference implementation writes it.
    func encoded() -> [UInt8] {
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                .map { SafeTensorsJSON.quoted($0.key) + ":" + SafeTensorsJSON.quoted($0.value) }
            fields.append(SafeTensorsJSON.quoted(Self.metadataKey) + ":{" + pairs.joined(separator: ",") + "}")
        }
        for entry in entries {
            let shape = entry.shape.map(String.init).joined(separator: ",")
            fields.append(
                SafeTensorsJSON.quoted(entry.name) + ":{\"dtype\":\"\(entry.dtype.rawValue)\",\"shape\":[\(shape)],"
                    + "\"data_offsets\":[\(entry.range.lowerBound),\(entry.range.upperBound)]}")
        }
        var bytes = Array(("{" + fields.joined(separator: ",") + "}").utf8)
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - bytes.count % 8) % 8))
        return bytes
    }
}
