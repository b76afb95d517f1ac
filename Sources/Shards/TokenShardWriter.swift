import FactoryCore

/// Writes token shard files (format: ``TokenShard``) atomically.
enum TokenShardWriter {
    /// Writes one shard and returns its header.
    ///
    /// - Parameters:
    ///   - tokens: the tokens of all documents back to back.
    ///   - documentOffsets: where each document starts, then `tokens.count` (so one more entry
    ///     than documents), rising from 0.
    ///   - vocabularySize: every token must be below it.
    @discardableResult
    static func write(
        tokens: [UInt32], documentOffsets: [UInt64], vocabularySize: Int, toPath path: String
    ) throws -> TokenShard.Header {
        guard documentOffsets.first == 0, documentOffsets.last == UInt64(tokens.count),
            zip(documentOffsets, documentOffsets.dropFirst()).allSatisfy({ $0 <= $1 })
        else {
            throw FactoryError.invalidArgument(
                name: "document offsets", message: "must rise from 0 to the token count \(tokens.count)")
        }
        guard vocabularySize > 0, vocabularySize <= Int(UInt32.max) else {
            throw FactoryError.invalidArgument(name: "vocabulary size", message: "\(vocabularySize) does not fit a shard header")
        }
        if let bad = tokens.first(where: { Int($0) >= vocabularySize }) {
            throw FactoryError.invalidArgument(name: "tokens", message: "token \(bad) is outside the vocabulary (size \(vocabularySize))")
        }
        let tokenBytes = littleEndianBytes(tokens)
        let offsetBytes = littleEndianBytes(documentOffsets)
        var hasher = DigestHasher()
        hasher.update(tokenBytes)
        hasher.update(offsetBytes)
        let header = TokenShard.Header(
            vocabularySize: UInt32(vocabularySize), tokenCount: UInt64(tokens.count),
            documentCount: UInt64(documentOffsets.count - 1), digest: hasher.finalize())
        var headerBytes = TokenShard.magic
        headerBytes += littleEndianBytes([TokenShard.formatVersion, header.vocabularySize])
        headerBytes += littleEndianBytes([header.tokenCount, header.documentCount])
        headerBytes += header.digest.bytes
        try AtomicFile.write(toPath: path) { sink in
            try sink.write(headerBytes)
            try sink.write(tokenBytes)
            try sink.write(offsetBytes)
        }
        return header
    }

    /// The little-endian bytes of integers.
    private static func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: values.count * MemoryLayout<T>.size)
        bytes.withUnsafeMutableBytes { raw in
            for (index, value) in values.enumerated() {
                raw.storeBytes(of: value.littleEndian, toByteOffset: index * MemoryLayout<T>.size, as: T.self)
            }
        }
        return bytes
    }
}
