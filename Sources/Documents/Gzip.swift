import CZlib
import FactoryCore

/// Reads gzip (RFC 1952) files through the system zlib: the `.gz` files Debian installs (manual
/// pages, info files). A file of several concatenated members decompresses to their contents in
/// order; zero bytes padding the end are ignored, as `gzip -d` does.
public enum Gzip {
    /// Whether `bytes` start with the gzip magic number.
    public static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// Decompresses the bytes of a gzip file; `path` names the file in errors.
    ///
    /// - Throws: `FactoryError.corrupt` naming `path` when the bytes are not gzip, fail zlib's
    ///   checks (the reason is zlib's: `incorrect data check` for a CRC mismatch, …), or end
    ///   before the compressed data does.
    public static func decompress(_ bytes: [UInt8], path: String) throws -> [UInt8] {
        guard isCompressed(bytes) else { throw FactoryError.corrupt(path: path, reason: "not a gzip file (no gzip magic number)") }
        guard bytes.count <= Int(UInt32.max) else {
            throw FactoryError.invalidArgument(name: path, message: "gzip files over 4 GiB are not supported")
        }
        var stream = z_stream()
        guard factory_inflate_init_gzip(&stream) == Z_OK else {
            throw FactoryError.io(path: path, operation: "decompress", reason: "zlib could not start a stream")
        }
        defer { inflateEnd(&stream) }
        var input = bytes
        var output = [UInt8]()
        output.reserveCapacity(bytes.count * 4)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        try input.withUnsafeMutableBufferPointer { compressed in
            stream.next_in = compressed.baseAddress
            stream.avail_in = UInt32(compressed.count)
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = UInt32(buffer.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                output.append(contentsOf: chunk[..<(chunk.count - Int(stream.avail_out))])
                switch status {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    let consumed = compressed.count - Int(stream.avail_in)
                    let rest = compressed[consumed...]
                    if rest.allSatisfy({ $0 == 0 }) { return }
                    guard rest.starts(with: [0x1F, 0x8B]) else {
                        throw FactoryError.corrupt(path: path, reason: "unexpected bytes after the gzip data at byte \(consumed)")
                    }
                    inflateReset(&stream)
                case Z_BUF_ERROR:
                    throw FactoryError.corrupt(
                        path: path, reason: "truncated gzip data: the file ends at byte \(compressed.count) before the compressed data does")
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    let at = compressed.count - Int(stream.avail_in)
                    throw FactoryError.corrupt(path: path, reason: "invalid gzip data near byte \(at): \(message)")
                }
            }
        }
        return output
    }
}
