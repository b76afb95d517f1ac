/// Refuses the inputs that make TOMLKit's parser (toml++) abort the process instead of reporting
/// an error, found by fuzzing (`fuzz/corpus/config-toml`):
/// - table headers: `[` or `[[`, then optional spaces, then a character that can start no key
///   (`[é]`, `[{`, `[#`, `[` at the end of a line);
/// - a `}` where an array expects a value (`e = [}`, `e = [1, }`): toml++ hands it to its value
///   parser, which asserts that it never sees a value terminator.
///
/// A header is a `[` first on a line outside a multi-line string and outside an array spanning
/// lines; the scan follows strings, comments and array brackets as TOML defines them, so `[{…}` on
/// a continuation line of an array and `[é` inside a multi-line string are left to the parser.
enum TOMLTableHeaderCheck {
    /// Throws a `FactoryError.config` naming `source` and the line of the first such input.
    static func check(_ text: String, source: String) throws {
        var brackets = [UInt8]()
        var multiLineDelimiter: [UInt8]?
        for (index, line) in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let bytes = Array(line)
            var position = 0
            if let delimiter = multiLineDelimiter {
                guard let end = closingDelimiter(delimiter, in: bytes, from: 0) else { continue }
                multiLineDelimiter = nil
                position = end
            } else if !brackets.contains(UInt8(ascii: "[")) {
                // The parser skips a UTF-8 byte order mark at the start of the file.
                let start = index == 0 && bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
                position = skipBlanks(bytes, from: start)
                if position < bytes.count, bytes[position] == UInt8(ascii: "[") {
                    try checkHeader(bytes, after: position, line: index + 1, source: source)
                    continue
                }
            }
            guard scan(bytes, from: position, brackets: &brackets, multiLineDelimiter: &multiLineDelimiter) else {
                throw FactoryError.config(
                    file: source, keyPath: "", line: index + 1, message: "TOML syntax error: '}' where an array expects a value or ']'")
            }
        }
    }

    private static func checkHeader(_ bytes: [UInt8], after bracket: Int, line: Int, source: String) throws {
        // Only spaces and tabs: the parser takes a carriage return here for a key (`[\r[` aborted too).
        var position = skipBlanks(bytes, from: bracket + 1, carriageReturns: false)
        if position < bytes.count, bytes[position] == UInt8(ascii: "[") {
            // `[ [`: the parser reports the blank itself.
            guard position == bracket + 1 else { return }
            position = skipBlanks(bytes, from: position + 1, carriageReturns: false)
        }
        let next: UInt8? = position < bytes.count ? bytes[position] : nil
        if let next, isKeyStart(next) || next == UInt8(ascii: "]") { return }
        throw FactoryError.config(
            file: source, keyPath: "", line: line,
            message: "TOML syntax error: a table header must start with a bare or quoted key")
    }

    private static func isKeyStart(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "\""), UInt8(ascii: "'"):
            return true
        default:
            return false
        }
    }

    private static func skipBlanks(_ bytes: [UInt8], from start: Int, carriageReturns: Bool = true) -> Int {
        var position = start
        while position < bytes.count,
            bytes[position] == 0x20 || bytes[position] == 0x09 || (carriageReturns && bytes[position] == 0x0D)
        {
            position += 1
        }
        return position
    }

    /// Follows one line in value context: strings, comments, the open array and inline-table
    /// brackets, a multi-line string opening. Returns false at a `}` whose innermost open bracket
    /// is an array's `[`.
    private static func scan(_ bytes: [UInt8], from start: Int, brackets: inout [UInt8], multiLineDelimiter: inout [UInt8]?) -> Bool {
        var position = start
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "#"):
                return true
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                let triple = [byte, byte, byte]
                if position + 3 <= bytes.count, Array(bytes[position..<position + 3]) == triple {
                    guard let end = closingDelimiter(triple, in: bytes, from: position + 3) else {
                        multiLineDelimiter = triple
                        return true
                    }
                    position = end
                } else {
                    position = closingQuote(byte, in: bytes, from: position + 1)
                }
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                brackets.append(byte)
                position += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                let opening = byte == UInt8(ascii: "]") ? UInt8(ascii: "[") : UInt8(ascii: "{")
                if byte == UInt8(ascii: "}"), brackets.last == UInt8(ascii: "[") { return false }
                // A mismatched `]` is the parser's to report; only a matching one closes.
                if brackets.last == opening { brackets.removeLast() }
                position += 1
            default:
                position += 1
            }
        }
        return true
    }

    /// The position after the `delimiter` (`"""` or `'''`) closing a multi-line string, or nil;
    /// in basic strings a backslash escapes the next byte.
    private static func closingDelimiter(_ delimiter: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        var position = start
        while position < bytes.count {
            if delimiter[0] == UInt8(ascii: "\""), bytes[position] == UInt8(ascii: "\\") {
                position += 2
                continue
            }
            if position + 3 <= bytes.count, Array(bytes[position..<position + 3]) == delimiter {
                var end = position + 3
                // Up to two more quotes belong to the string ("""a""""" ends with `a""`).
                while end < bytes.count, end < position + 5, bytes[end] == delimiter[0] { end += 1 }
                return end
            }
            position += 1
        }
        return nil
    }

    /// The position after a one-line string's closing quote (or the end of the line).
    private static func closingQuote(_ quote: UInt8, in bytes: [UInt8], from start: Int) -> Int {
        var position = start
        while position < bytes.count {
            if quote == UInt8(ascii: "\""), bytes[position] == UInt8(ascii: "\\") {
                position += 2
                continue
            }
            if bytes[position] == quote { return position + 1 }
            position += 1
        }
        return bytes.count
    }
}
