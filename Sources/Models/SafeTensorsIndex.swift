import FactoryCore
import Foundation

/// `model.safetensors.index.json`, the index of a checkpoint whose weights `transformers` split
/// into shards (`model-00001-of-00003.safetensors`, ...): which shard holds each tensor, and the
/// total size of the tensors' data.
///
/// The file is written as `save_pretrained` writes it: `json.dumps(index, indent=2,
/// sort_keys=True)` plus a newline, with `metadata.total_parameters` and `metadata.total_size`.
public struct SafeTensorsIndex: Equatable, Sendable {
    /// The index file's name in a checkpoint directory.
    public static let fileName = "model.safetensors.index.json"

    /// The bytes of tensor data in all shards (`metadata.total_size`), when the index gives it.
    public var totalSize: Int?
    /// The model's parameter count (`metadata.total_parameters`), when the index gives it.
    public var totalParameters: Int?
    /// The shard file (a name in the same directory) of every tensor, by tensor name.
    public var weightMap: [String: String]

    /// An index.
    public init(totalSize: Int?, totalParameters: Int?, weightMap: [String: String]) {
        self.totalSize = totalSize
        self.totalParameters = totalParameters
        self.weightMap = weightMap
    }

    /// The shard files the index names, sorted.
    public var shardFiles: [String] { Set(weightMap.values).sorted() }

    /// The tensors the index assigns to `shard`, sorted.
    public func tensors(in shard: String) -> [String] {
        weightMap.filter { $0.value == shard }.keys.sorted()
    }

    /// Reads the index at `path`.
    ///
    /// Throws `FactoryError.fileNotFound` when it is missing, and `FactoryError.config` naming the
    /// file and key when it is not JSON, `weight_map` is missing or not an object of strings, a
    /// shard is not a plain file name in the same directory, or a `metadata` size is not a
    /// non-negative integer.
    public static func read(path: String) throws -> SafeTensorsIndex {
        guard let data = FileManager.default.contents(atPath: path) else {
            if FileManager.default.fileExists(atPath: path) {
                throw FactoryError.io(path: path, operation: "read", reason: "the file cannot be opened")
            }
            throw FactoryError.fileNotFound(path: path)
        }
        func fail(_ key: String, _ message: String) -> FactoryError {
            FactoryError.config(file: path, keyPath: key, line: nil, message: message)
        }
        guard case .object(let root) = try JSONValue.parse(Array(data), source: path) else {
            throw fail("", "expected a JSON object")
        }
        guard case .object(let map)? = root["weight_map"] else {
            throw fail("weight_map", root["weight_map"] == nil ? "missing" : "expected an object of tensor name to shard file")
        }
        var weightMap: [String: String] = [:]
        for (name, value) in map {
            guard case .string(let file) = value else { throw fail("weight_map.\(name)", "expected a shard file name") }
            guard !file.isEmpty, !file.contains("/"), file != ".", file != ".." else {
                throw fail("weight_map.\(name)", "'\(file)' is not a file name in the checkpoint directory")
            }
            weightMap[name] = file
        }
        guard !weightMap.isEmpty else { throw fail("weight_map", "lists no tensors") }
        var sizes: [String: Int] = [:]
        if let metadata = root["metadata"] {
            guard case .object(let fields) = metadata else { throw fail("metadata", "expected an object") }
            for key in ["total_size", "total_parameters"] {
                switch fields[key] {
                case nil, .null?: continue
                case .integer(let value)? where value >= 0: sizes[key] = value
                case .float(let value)? where value >= 0 && value == value.rounded() && value < 0x1p62: sizes[key] = Int(value)
                case let other?: throw fail("metadata.\(key)", "expected a non-negative integer, got \(other)")
                }
            }
        }
        return SafeTensorsIndex(totalSize: sizes["total_size"], totalParameters: sizes["total_parameters"], weightMap: weightMap)
    }

    /// The file's text, as `json.dumps(index, indent=2, sort_keys=True) + "\n"` writes it (names
    /// are escaped to ASCII like Python's `ensure_ascii`).
    public func encoded() -> Data {
        var metadata: [(String, String)] = []
        if let totalParameters { metadata.append(("total_parameters", String(totalParameters))) }
        if let totalSize { metadata.append(("total_size", String(totalSize))) }
        var lines = ["{"]
        if !metadata.isEmpty {
            lines.append("  \"metadata\": {")
            lines += metadata.enumerated().map { index, field in
                "    \"\(field.0)\": \(field.1)" + (index + 1 < metadata.count ? "," : "")
            }
            lines.append("  },")
        }
        lines.append("  \"weight_map\": {")
        let names = weightMap.keys.sorted { Self.pythonOrder($0, $1) }
        lines += names.enumerated().map { index, name in
            "    \(Self.asciiQuoted(name)): \(Self.asciiQuoted(weightMap[name]!))" + (index + 1 < names.count ? "," : "")
        }
        lines.append("  }")
        lines.append("}")
        return Data((lines.joined(separator: "\n") + "\n").utf8)
    }

    /// Python's string order: by code point.
    private static func pythonOrder(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
    }

    /// `text` as Python's `json.dumps` quotes it with `ensure_ascii`: non-ASCII as `\uXXXX`
    /// (UTF-16 units), control characters short or as `\u00xx`.
    private static func asciiQuoted(_ text: String) -> String {
        var out = "\""
        for unit in text.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default:
                let hex = String(unit, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return out + "\""
    }
}
