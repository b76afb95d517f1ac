/// The package's one JSON string writer: deterministic escaping for every hand-written JSON
/// (documents, tokenizer.json, canonical configuration text, Hugging Face and safetensors headers).
public enum JSONText {
    /// Which control characters get a short escape.
    public enum Escapes: Sendable {
        /// `\b` and `\f` as well as `\n`, `\r` and `\t` (as `serde_json` writes them).
        case short
        /// Only `\n`, `\r` and `\t`; every other control character as `\u00XX`.
        case newlinesAndTabs
    }

    /// Appends `string` as a JSON string literal (quotes included) to `out`.
    ///
    /// Escapes `"`, `\` and the control characters below U+0020 (short forms as `escapes` says,
    /// the rest as `\u00XX` with lowercase hex digits); everything else, including non-ASCII, is
    /// written as raw UTF-8.
    public static func appendString(_ string: String, to out: inout [UInt8], escapes: Escapes = .short) {
        out.append(UInt8(ascii: "\""))
        var copy = string
        copy.withUTF8 { bytes in
            var runStart = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                out.append(contentsOf: bytes[runStart..<index])
                runStart = index + 1
                out.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case 0x08 where escapes == .short: out.append(UInt8(ascii: "b"))
                case 0x0C where escapes == .short: out.append(UInt8(ascii: "f"))
                default:
                    let digits = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: Array("u00".utf8))
                    out.append(digits[Int(byte >> 4)])
                    out.append(digits[Int(byte & 0x0F)])
                }
            }
            out.append(contentsOf: bytes[runStart..<bytes.count])
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `string` as a JSON string literal, quotes included (see ``appendString(_:to:escapes:)``).
    public static func quoted(_ string: String, escapes: Escapes = .short) -> String {
        var out = [UInt8]()
        out.reserveCapacity(string.utf8.count + 2)
        appendString(string, to: &out, escapes: escapes)
        return String(decoding: out, as: UTF8.self)
    }
}
