import FactoryCore
import Foundation

/// One token shard file: the tokens of whole documents of one domain, each document followed by
/// `<|endoftext|>`, with a header and a document index.
///
/// Layout (all integers little-endian):
///
/// | offset | size | field |
/// | --- | --- | --- |
/// | 0 | 8 | magic `MFTOKSHD` |
/// | 8 | 4 | format version (1) |
/// | 12 | 4 | vocabulary size (every token is below it) |
/// | 16 | 8 | token count T |
/// | 24 | 8 | document count D |
/// | 32 | 32 | SHA-256 of everything after the header |
/// | 64 | 4·T | tokens, `UInt32` |
/// | 64 + 4·T | 8·(D+1) | document start offsets in tokens, `UInt64`: 0, …, T |
public struct TokenShard: Sendable {
    /// The first eight bytes of every shard.
    public static let magic = Array("MFTOKSHD".utf8)
    /// The format version this code reads and writes.
    public static let formatVersion: UInt32 = 1
    /// Bytes before the tokens.
    static let headerSize = 64

    /// The header fields.
    public struct Header: Sendable, Equatable {
        /// Every token is below this.
        public var vocabularySize: UInt32
        /// The number of tokens.
        public var tokenCount: UInt64
        /// The number of documents.
        public var documentCount: UInt64
        /// SHA-256 of the tokens and index bytes.
        public var digest: Digest

        /// The file size these counts imply.
        var expectedFileSize: UInt64 {
            UInt64(TokenShard.headerSize) + 4 * tokenCount + 8 * (documentCount + 1)
        }
    }

    /// The file this shard was read from.
    public let path: String
    /// The header.
    public let header: Header
    /// All tokens, documents back to back.
    public let tokens: [UInt32]
    /// Where each document starts, plus the token count at the end.
    let documentOffsets: [UInt64]

    /// The number of documents.
    public var documentCount: Int { documentOffsets.count - 1 }

    /// The tokens of document `index`, its trailing `<|endoftext|>` included.
    public func document(_ index: Int) -> ArraySlice<UInt32> {
        tokens[Int(documentOffsets[index])..<Int(documentOffsets[index + 1])]
    }

    /// Reads and validates only the header of the shard at `path` (magic, version, file size).
    static func readHeader(path: String) throws -> Header {
        let handle = try open(path)
        defer { try? handle.close() }
        let bytes: Data
        do {
            bytes = try handle.read(upToCount: headerSize) ?? Data()
        } catch {
            throw FactoryError.io(path: path, operation: "read", reason: "\(error)")
        }
        let header = try parseHeader(Array(bytes), path: path)
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? UInt64) ?? 0
        try checkSize(UInt64(size), header: header, path: path)
        return header
    }

    /// Reads the shard at `path` and checks everything: magic, version, size, digest, index and
    /// that every token is below the vocabulary size. Errors name the file and the problem.
    public static func read(path: String) throws -> TokenShard {
        let handle = try open(path)
        let data: Data
        do {
            data = try handle.readToEnd() ?? Data()
            try handle.close()
        } catch {
            throw FactoryError.io(path: path, operation: "read", reason: "\(error)")
        }
        return try data.withUnsafeBytes { raw in
            let header = try parseHeader(Array(raw.prefix(headerSize)), path: path)
            try checkSize(UInt64(raw.count), header: header, path: path)
            let payload = UnsafeRawBufferPointer(rebasing: raw[headerSize...])
            var hasher = DigestHasher()
            hasher.update(bufferPointer: payload)
            let actual = hasher.finalize()
            guard actual == header.digest else {
                throw FactoryError.corrupt(
                    path: path, reason: "digest mismatch: the header records \(header.digest), the contents hash to \(actual)")
            }
            let tokenCount = Int(header.tokenCount)
            let tokens = (0..<tokenCount).map { UInt32(littleEndian: payload.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self)) }
            if let position = tokens.firstIndex(where: { $0 >= header.vocabularySize }) {
                throw FactoryError.corrupt(
                    path: path,
                    reason: "token \(tokens[position]) at position \(position) is outside the vocabulary (size \(header.vocabularySize))")
            }
            let offsets = (0...Int(header.documentCount)).map {
                UInt64(littleEndian: payload.loadUnaligned(fromByteOffset: 4 * tokenCount + 8 * $0, as: UInt64.self))
            }
            guard offsets.first == 0, offsets.last == header.tokenCount,
                zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 })
            else {
                throw FactoryError.corrupt(
                    path: path, reason: "document index is not a rising list of offsets from 0 to \(header.tokenCount)")
            }
            return TokenShard(path: path, header: header, tokens: tokens, documentOffsets: offsets)
        }
    }

    private static func open(_ path: String) throws -> FileHandle {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            if FileManager.default.fileExists(atPath: path) {
                throw FactoryError.io(path: path, operation: "open for reading", reason: "permission denied")
            }
            throw FactoryError.fileNotFound(path: path)
        }
        return handle
    }

    private static func parseHeader(_ bytes: [UInt8], path: String) throws -> Header {
        guard bytes.count >= headerSize else {
            throw FactoryError.corrupt(
                path: path, reason: "header is truncated: \(bytes.count) bytes, a token shard header has \(headerSize)")
        }
        guard Array(bytes[0..<8]) == magic else {
            throw FactoryError.corrupt(path: path, reason: "not a token shard: the file does not start with 'MFTOKSHD'")
        }
        func integer<T: FixedWidthInteger>(_ offset: Int, as type: T.Type) -> T {
            bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
        }
        let version = integer(8, as: UInt32.self)
        guard version == formatVersion else {
            throw FactoryError.corrupt(
                path: path, reason: "header: format version \(version) is not supported (this build reads version \(formatVersion))")
        }
        let vocabularySize = integer(12, as: UInt32.self)
        guard vocabularySize > 0 else { throw FactoryError.corrupt(path: path, reason: "header: vocabulary size is 0") }
        let tokenCount = integer(16, as: UInt64.self)
        let documentCount = integer(24, as: UInt64.self)
        guard tokenCount < 1 << 40, documentCount < 1 << 40 else {
            throw FactoryError.corrupt(
                path: path, reason: "header: implausible counts (\(tokenCount) tokens, \(documentCount) documents)")
        }
        return Header(
            vocabularySize: vocabularySize, tokenCount: tokenCount, documentCount: documentCount,
            digest: try Digest(bytes: Array(bytes[32..<64])))
    }

    private static func checkSize(_ size: UInt64, header: Header, path: String) throws {
        guard size == header.expectedFileSize else {
            throw FactoryError.corrupt(
                path: path,
                reason:
                    "file is \(size) bytes but the header's \(header.tokenCount) tokens and \(header.documentCount) documents need \(header.expectedFileSize)"
            )
        }
    }
}
