import Documents
import FactoryCore
import Foundation

/// Reads a source file as text: gzip files (by their magic bytes) are decompressed, UTF-8 is
/// decoded, and a file that is not valid UTF-8 is read as ISO-8859-1 (older manual pages and
/// fortune files), so every byte maps to a definite character.
public enum SourceFileText {
    /// The text of the file at `path`; a file larger than the machine's memory is refused
    /// before it is read.
    public static func read(path: String) throws -> String {
        if let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? UInt64 {
            try MemoryBudget.require(Int(clamping: size), for: "reading the whole file", name: "source file \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            if FileManager.default.fileExists(atPath: path) {
                throw FactoryError.io(path: path, operation: "read", reason: "permission denied or not a regular file")
            }
            throw FactoryError.fileNotFound(path: path)
        }
        var bytes = [UInt8](data)
        if Gzip.isCompressed(bytes) { bytes = try Gzip.decompress(bytes, path: path) }
        return decode(bytes)
    }

    /// UTF-8 when valid, else ISO-8859-1; a leading byte-order mark is dropped.
    static func decode(_ bytes: [UInt8]) -> String {
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes[3...] : bytes[...]
        if let text = String(validating: body, as: UTF8.self) { return text }
        var text = ""
        text.unicodeScalars.append(contentsOf: body.map { Unicode.Scalar($0) })
        return text
    }
}
