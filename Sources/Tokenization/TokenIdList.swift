import FactoryCore

/// Token ids written as text, as `factory tokenizer encode` prints them and `decode` reads them:
/// decimal integers separated by white space and/or commas; `[` and `]` count as separators too,
/// so a JSON array of ids reads as well.
public enum TokenIdList {
    /// The ids in `bytes`, in order; one pass, so linear in the input.
    ///
    /// - Parameter source: the file (or `standard input`) named in errors.
    /// - Throws: ``FactoryError/corrupt(path:reason:)`` naming `source`, the entry's number and
    ///   byte offset for anything that is not an integer from 0 to 4294967295.
    public static func parse<Bytes: Collection>(_ bytes: Bytes, source: String) throws -> [UInt32] where Bytes.Element == UInt8 {
        var ids = [UInt32]()
        var current: UInt64 = 0
        var digits = 0
        var entryStart = 0
        var offset = 0
        func finish() {
            if digits > 0 { ids.append(UInt32(current)) }
            current = 0
            digits = 0
        }
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if digits == 0 { entryStart = offset }
                current = current * 10 + UInt64(byte - UInt8(ascii: "0"))
                digits += 1
                guard current <= UInt64(UInt32.max) else {
                    throw FactoryError.corrupt(
                        path: source,
                        reason: "entry \(ids.count + 1) at byte \(entryStart) is not a token id (ids go from 0 to \(UInt32.max))")
                }
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: ","),
                UInt8(ascii: "["), UInt8(ascii: "]"):
                finish()
            default:
                let shown = byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
                throw FactoryError.corrupt(
                    path: source,
                    reason: "\(shown) at byte \(offset) (entry \(ids.count + 1)) is not part of a token id; "
                        + "expected decimal ids separated by white space or commas")
            }
            offset += 1
        }
        finish()
        return ids
    }
}
