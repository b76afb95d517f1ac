import Crypto
import Foundation

/// A SHA-256 content digest, printed as 64 lowercase hex characters.
public struct Digest: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The 32 raw digest bytes.
    public let bytes: [UInt8]

    /// Wraps 32 raw bytes.
    public init(bytes: [UInt8]) throws {
        guard bytes.count == 32 else {
            throw FactoryError.invalidArgument(name: "digest", message: "expected 32 bytes, got \(bytes.count)")
        }
        self.bytes = bytes
    }

    /// Parses 64 hex characters (either case).
    public init(hex: String) throws {
        let characters = Array(hex.utf8)
        guard characters.count == 64 else {
            throw FactoryError.invalidArgument(
                name: "digest", message: "expected 64 hex characters, got \(characters.count) in '\(hex)'")
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(32)
        for index in stride(from: 0, to: 64, by: 2) {
            guard let high = Self.nibble(characters[index]), let low = Self.nibble(characters[index + 1]) else {
                throw FactoryError.invalidArgument(name: "digest", message: "'\(hex)' is not hexadecimal")
            }
            bytes.append(high << 4 | low)
        }
        self.bytes = bytes
    }

    /// Lowercase hex, the form used in file names and records.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { hex }

    public static func < (lhs: Digest, rhs: Digest) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }

    public init(from decoder: Decoder) throws {
        try self.init(hex: decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }

    /// The digest of a byte sequence.
    public static func of<Bytes: DataProtocol>(_ bytes: Bytes) -> Digest {
        var hasher = DigestHasher()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The digest of a string's UTF-8 bytes.
    public static func of(_ string: String) -> Digest { of(Array(string.utf8)) }

    /// The digest of a file's contents, read in chunks so that memory stays flat for large files.
    public static func ofFile(atPath path: String, chunkSize: Int = 1 << 20) throws -> Digest {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            if FileManager.default.fileExists(atPath: path) {
                throw FactoryError.io(path: path, operation: "open for reading", reason: "permission denied")
            }
            throw FactoryError.fileNotFound(path: path)
        }
        defer { try? handle.close() }
        var hasher = DigestHasher()
        while true {
            let chunk: Data?
            do {
                chunk = try handle.read(upToCount: chunkSize)
            } catch {
                throw FactoryError.io(path: path, operation: "read", reason: "\(error)")
            }
            guard let chunk, !chunk.isEmpty else { break }
            hasher.update(chunk)
        }
        return hasher.finalize()
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return character - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

/// Streaming SHA-256: feed bytes in pieces, then finalize once.
public struct DigestHasher: Sendable {
    private var state = SHA256()

    public init() {}

    /// Adds bytes to the running digest.
    public mutating func update<Bytes: DataProtocol>(_ bytes: Bytes) {
        state.update(data: bytes)
    }

    /// Adds raw memory to the running digest.
    public mutating func update(bufferPointer: UnsafeRawBufferPointer) {
        state.update(bufferPointer: bufferPointer)
    }

    /// Adds a string's UTF-8 bytes.
    public mutating func update(_ string: String) {
        update(Array(string.utf8))
    }

    /// The digest of everything fed so far.
    public func finalize() -> Digest {
        // SHA-256 always yields 32 bytes, so the throwing initializer cannot fail here.
        try! Digest(bytes: Array(state.finalize()))
    }
}
