import FactoryCore

/// A DEFLATE (RFC 1951) decoder and the gzip (RFC 1952) container around it, enough to read the
/// `.gz` files Debian installs (manual pages, info files) without a C library.
public enum Inflate {
    /// Decompresses a gzip file's bytes (every member, concatenated); `path` names it in errors.
    public static func gunzip(_ bytes: [UInt8], path: String) throws -> [UInt8] {
        var output = [UInt8]()
        var offset = 0
        while offset < bytes.count {
            guard bytes.count - offset >= 18, bytes[offset] == 0x1F, bytes[offset + 1] == 0x8B else {
                if offset > 0, bytes[offset...].allSatisfy({ $0 == 0 }) { break }
                throw FactoryError.corrupt(path: path, reason: "not a gzip stream at byte \(offset)")
            }
            guard bytes[offset + 2] == 8 else {
                throw FactoryError.corrupt(path: path, reason: "unknown gzip compression method \(bytes[offset + 2])")
            }
            let flags = bytes[offset + 3]
            var position = offset + 10
            func skipZeroTerminated() throws {
                while position < bytes.count, bytes[position] != 0 { position += 1 }
                guard position < bytes.count else { throw FactoryError.corrupt(path: path, reason: "truncated gzip header") }
                position += 1
            }
            if flags & 0x04 != 0 {
                guard position + 2 <= bytes.count else { throw FactoryError.corrupt(path: path, reason: "truncated gzip header") }
                position += 2 + (Int(bytes[position]) | Int(bytes[position + 1]) << 8)
            }
            if flags & 0x08 != 0 { try skipZeroTerminated() }
            if flags & 0x10 != 0 { try skipZeroTerminated() }
            if flags & 0x02 != 0 { position += 2 }
            guard position <= bytes.count else { throw FactoryError.corrupt(path: path, reason: "truncated gzip header") }
            let start = output.count
            var reader = BitReader(bytes: bytes, position: position, path: path)
            try inflate(&reader, into: &output)
            position = reader.alignedPosition
            guard position + 8 <= bytes.count else { throw FactoryError.corrupt(path: path, reason: "truncated gzip trailer") }
            let expectedCRC = readLittleEndian32(bytes, position)
            let expectedSize = readLittleEndian32(bytes, position + 4)
            guard CRC32.checksum(output[start...]) == expectedCRC,
                UInt32(truncatingIfNeeded: output.count - start) == expectedSize
            else {
                throw FactoryError.corrupt(path: path, reason: "gzip checksum or length mismatch")
            }
            offset = position + 8
        }
        return output
    }

    private static func readLittleEndian32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << UInt32(8 * $1) }
    }

    private static let lengthBase: [Int] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    private static let lengthExtra: [Int] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distanceBase: [Int] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    private static let distanceExtra: [Int] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    private static let codeLengthOrder: [Int] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    private static func inflate(_ reader: inout BitReader, into output: inout [UInt8]) throws {
        var isLast = false
        while !isLast {
            isLast = try reader.bits(1) == 1
            switch try reader.bits(2) {
            case 0:
                try reader.storedBlock(into: &output)
            case 1:
                var literal = [UInt8](repeating: 8, count: 288)
                for symbol in 144..<256 { literal[symbol] = 9 }
                for symbol in 256..<280 { literal[symbol] = 7 }
                try decodeBlock(
                    &reader, literals: Huffman(lengths: literal, path: reader.path),
                    distances: Huffman(lengths: [UInt8](repeating: 5, count: 30), path: reader.path), into: &output)
            case 2:
                let (literals, distances) = try dynamicTables(&reader)
                try decodeBlock(&reader, literals: literals, distances: distances, into: &output)
            default:
                throw FactoryError.corrupt(path: reader.path, reason: "invalid DEFLATE block type")
            }
        }
    }

    private static func dynamicTables(_ reader: inout BitReader) throws -> (Huffman, Huffman) {
        let literalCount = try reader.bits(5) + 257
        let distanceCount = try reader.bits(5) + 1
        let codeLengthCount = try reader.bits(4) + 4
        var codeLengths = [UInt8](repeating: 0, count: 19)
        for index in 0..<codeLengthCount { codeLengths[codeLengthOrder[index]] = UInt8(try reader.bits(3)) }
        let codeLengthCode = try Huffman(lengths: codeLengths, path: reader.path)
        var lengths = [UInt8]()
        while lengths.count < literalCount + distanceCount {
            let symbol = try codeLengthCode.decode(&reader)
            switch symbol {
            case 0..<16:
                lengths.append(UInt8(symbol))
            case 16:
                guard let previous = lengths.last else {
                    throw FactoryError.corrupt(path: reader.path, reason: "DEFLATE repeat code with nothing to repeat")
                }
                lengths.append(contentsOf: repeatElement(previous, count: 3 + (try reader.bits(2))))
            case 17:
                lengths.append(contentsOf: repeatElement(0, count: 3 + (try reader.bits(3))))
            default:
                lengths.append(contentsOf: repeatElement(0, count: 11 + (try reader.bits(7))))
            }
        }
        guard lengths.count == literalCount + distanceCount else {
            throw FactoryError.corrupt(path: reader.path, reason: "DEFLATE code lengths overflow the table")
        }
        return (
            try Huffman(lengths: Array(lengths[..<literalCount]), path: reader.path),
            try Huffman(lengths: Array(lengths[literalCount...]), path: reader.path)
        )
    }

    private static func decodeBlock(
        _ reader: inout BitReader, literals: Huffman, distances: Huffman, into output: inout [UInt8]
    ) throws {
        while true {
            let symbol = try literals.decode(&reader)
            if symbol < 256 {
                output.append(UInt8(symbol))
                continue
            }
            if symbol == 256 { return }
            let lengthIndex = symbol - 257
            guard lengthIndex < lengthBase.count else {
                throw FactoryError.corrupt(path: reader.path, reason: "invalid DEFLATE length symbol \(symbol)")
            }
            let length = lengthBase[lengthIndex] + (try reader.bits(lengthExtra[lengthIndex]))
            let distanceSymbol = try distances.decode(&reader)
            guard distanceSymbol < distanceBase.count else {
                throw FactoryError.corrupt(path: reader.path, reason: "invalid DEFLATE distance symbol \(distanceSymbol)")
            }
            let distance = distanceBase[distanceSymbol] + (try reader.bits(distanceExtra[distanceSymbol]))
            guard distance <= output.count else {
                throw FactoryError.corrupt(path: reader.path, reason: "DEFLATE distance \(distance) reaches before the start")
            }
            let start = output.count - distance
            for index in 0..<length { output.append(output[start + index]) }
        }
    }
}

/// Least-significant-bit-first reader over a byte array, as DEFLATE packs its bits.
struct BitReader {
    let bytes: [UInt8]
    let path: String
    private var position: Int
    private var bitBuffer: UInt64 = 0
    private var bitCount = 0

    init(bytes: [UInt8], position: Int, path: String) {
        self.bytes = bytes
        self.position = position
        self.path = path
    }

    /// The byte position after the current (partial) byte, once decoding has ended.
    var alignedPosition: Int { position - bitCount / 8 }

    mutating func bits(_ count: Int) throws -> Int {
        guard count > 0 else { return 0 }
        while bitCount < count {
            guard position < bytes.count else {
                throw FactoryError.corrupt(path: path, reason: "DEFLATE stream ends early")
            }
            bitBuffer |= UInt64(bytes[position]) << UInt64(bitCount)
            position += 1
            bitCount += 8
        }
        let value = Int(bitBuffer & ((1 << UInt64(count)) - 1))
        bitBuffer >>= UInt64(count)
        bitCount -= count
        return value
    }

    /// Copies a stored (uncompressed) block after dropping the bits left in the current byte.
    mutating func storedBlock(into output: inout [UInt8]) throws {
        _ = try bits(bitCount % 8)
        let length = try bits(16)
        let complement = try bits(16)
        guard length ^ complement == 0xFFFF else {
            throw FactoryError.corrupt(path: path, reason: "DEFLATE stored block length check failed")
        }
        for _ in 0..<length { output.append(UInt8(try bits(8))) }
    }
}

/// A canonical Huffman code decoded bit by bit through per-length counts (as in zlib's puff).
struct Huffman {
    private var counts = [Int](repeating: 0, count: 16)
    private var symbols = [Int]()

    init(lengths: [UInt8], path: String) throws {
        for length in lengths { counts[Int(length)] += 1 }
        counts[0] = 0
        var left = 1
        for length in 1..<16 {
            left = left << 1 - counts[length]
            guard left >= 0 else { throw FactoryError.corrupt(path: path, reason: "over-subscribed DEFLATE code") }
        }
        var offsets = [Int](repeating: 0, count: 16)
        for length in 1..<15 { offsets[length + 1] = offsets[length] + counts[length] }
        symbols = [Int](repeating: 0, count: lengths.count)
        for (symbol, length) in lengths.enumerated() where length != 0 {
            symbols[offsets[Int(length)]] = symbol
            offsets[Int(length)] += 1
        }
    }

    func decode(_ reader: inout BitReader) throws -> Int {
        var code = 0
        var first = 0
        var index = 0
        for length in 1..<16 {
            code |= try reader.bits(1)
            let count = counts[length]
            if code - count < first { return symbols[index + code - first] }
            index += count
            first = (first + count) << 1
            code <<= 1
        }
        throw FactoryError.corrupt(path: reader.path, reason: "invalid DEFLATE Huffman code")
    }
}

/// The CRC-32 of gzip trailers (reflected polynomial 0xEDB88320).
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
