/// GPT-2's reversible byte-to-character mapping, used by byte-level BPE vocabularies.
///
/// Every byte maps to one printable Unicode character: the printable Latin-1 bytes (`!`…`~`,
/// `¡`…`¬`, `®`…`ÿ`) map to themselves and the remaining 68 bytes (controls, space, soft hyphen)
/// map, in byte order, to U+0100, U+0101, …. A space therefore becomes `Ġ` and a newline `Ċ`.
/// Hugging Face `tokenizer.json` files store byte-level tokens in this form.
enum ByteLevel {
    /// The character each byte maps to, indexed by byte value.
    static let characters: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            if isPrintable(UInt8(byte)) {
                table[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                table[byte] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return table
    }()

    /// The byte each mapped character stands for, indexed by scalar value (below U+0144);
    /// `-1` where a scalar is not in the mapping.
    private static let bytesByScalar: [Int16] = {
        var table = [Int16](repeating: -1, count: 0x144)
        for (byte, scalar) in characters.enumerated() { table[Int(scalar.value)] = Int16(byte) }
        return table
    }()

    /// Whether GPT-2 keeps a byte as its own Latin-1 character.
    private static func isPrintable(_ byte: UInt8) -> Bool {
        (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
    }

    /// The mapped form of a byte string, one character per byte.
    static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(characters[Int(byte)]) }
        return String(scalars)
    }

    /// The bytes a mapped string stands for, or `nil` when it holds a character outside the mapping.
    static func decode(_ text: String) -> [UInt8]? {
        var bytes = [UInt8]()
        bytes.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard scalar.value < 0x144 else { return nil }
            let byte = bytesByScalar[Int(scalar.value)]
            guard byte >= 0 else { return nil }
            bytes.append(UInt8(byte))
        }
        return bytes
    }
}
