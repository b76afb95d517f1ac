/// Minimal, deterministic JSON text encoding for the document writer.
enum JSONText {
    /// Appends `string` as a JSON string literal (quotes included) to `out`.
    ///
    /// Escapes `"`, `\` and the control characters below U+0020 (with the short forms where JSON
    /// has them); everything else, including non-ASCII, is written as raw UTF-8.
    static func appendString(_ string: String, to out: inout [UInt8]) {
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
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
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

    /// One document as a single-line JSON object, keys in a fixed order: `id`, `text`, `domain`,
    /// `source`, `license`, then `metadata` with its keys sorted.
    static func encode(_ document: Document, to out: inout [UInt8]) {
        func field(_ name: String, _ value: String, first: Bool = false) {
            if !first { out.append(UInt8(ascii: ",")) }
            appendString(name, to: &out)
            out.append(UInt8(ascii: ":"))
            appendString(value, to: &out)
        }
        out.append(UInt8(ascii: "{"))
        field("id", document.id, first: true)
        field("text", document.text)
        field("domain", document.domain)
        field("source", document.source)
        field("license", document.license)
        out.append(contentsOf: Array(",\"metadata\":{".utf8))
        for (index, key) in document.metadata.keys.sorted().enumerated() {
            field(key, document.metadata[key]!, first: index == 0)
        }
        out.append(contentsOf: Array("}}\n".utf8))
    }
}
