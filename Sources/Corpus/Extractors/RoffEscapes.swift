/// Renders the escapes of one line of roff text: fonts and sizes vanish, special characters
/// (`\(em`, `\[bu]`, `\N'65'`, `\[u00E9]`) and predefined strings (`\*(lq`) become characters,
/// motions and other delimited escapes disappear, `\"` starts a comment.
enum RoffEscapes {
    static func render(_ line: Substring) -> String {
        var output = ""
        var index = line.startIndex
        func next() -> Character? {
            guard index < line.endIndex else { return nil }
            defer { index = line.index(after: index) }
            return line[index]
        }
        /// An escape's name: `(xx`, `[long name]`, or a single character.
        func name() -> String {
            guard let first = next() else { return "" }
            switch first {
            case "(":
                return String([next(), next()].compactMap { $0 })
            case "[":
                var text = ""
                while let character = next(), character != "]" { text.append(character) }
                return text
            default:
                return String(first)
            }
        }
        /// A delimited argument such as `'3n'` in `\h'3n'`.
        func delimited() -> String {
            guard let delimiter = next() else { return "" }
            var text = ""
            while let character = next(), character != delimiter { text.append(character) }
            return text
        }
        while let current = next() {
            guard current == "\\" else {
                output.append(current)
                continue
            }
            guard let escape = next() else { break }
            switch escape {
            case "\"", "#":
                return output
            case "f", "F", "g", "k", "n", "m", "M", "V", "Y":
                _ = name()
            case "*":
                output += strings[name()] ?? ""
            case "s":
                if index < line.endIndex, line[index] == "+" || line[index] == "-" { _ = next() }
                if index < line.endIndex, line[index] == "(" || line[index] == "[" {
                    _ = name()
                } else {
                    while index < line.endIndex, line[index].isNumber { _ = next() }
                }
            case "(", "[":
                index = line.index(before: index)
                let special = name()
                output += character(named: special) ?? ""
            case "C":
                output += character(named: delimited()) ?? ""
            case "N":
                if let code = UInt32(delimited()), let scalar = Unicode.Scalar(code) { output.unicodeScalars.append(scalar) }
            case "h", "v", "w", "o", "l", "L", "X", "b", "D", "x", "H", "S", "Z", "R", "A", "B":
                _ = delimited()
            case "e", "\\":
                output.append("\\")
            case "-":
                output.append("-")
            case " ", "~", "0":
                output.append(" ")
            case "t":
                output.append("\t")
            case "'":
                output.append("'")
            case "`":
                output.append("`")
            case ".":
                output.append(".")
            case "&", "|", "^", "%", ":", "/", ",", "c", "a", "d", "u", "r", "p", "z", "{", "}", ")", "E":
                break
            default:
                output.append(escape)
            }
        }
        return output
    }

    /// A special character by its roff name (`em`, `bu`) or as `uXXXX`.
    static func character(named name: String) -> String? {
        if name.count >= 5, name.hasPrefix("u"), let code = UInt32(name.dropFirst(), radix: 16),
            let scalar = Unicode.Scalar(code)
        {
            return String(Character(scalar))
        }
        return specials[name]
    }

    private static let specials: [String: String] = [
        "em": "\u{2014}", "en": "\u{2013}", "hy": "-", "bu": "\u{2022}", "aq": "'", "dq": "\"",
        "lq": "\u{201C}", "rq": "\u{201D}", "oq": "\u{2018}", "cq": "\u{2019}", "Bq": "\u{201E}", "bq": "\u{201A}",
        "co": "\u{00A9}", "rg": "\u{00AE}", "tm": "\u{2122}", "mu": "\u{00D7}", "di": "\u{00F7}", "de": "\u{00B0}",
        "+-": "\u{00B1}", "<=": "\u{2264}", ">=": "\u{2265}", "!=": "\u{2260}", "==": "\u{2261}", "~=": "\u{2245}",
        "ap": "\u{223C}", "~~": "\u{2248}", "->": "\u{2192}", "<-": "\u{2190}", "<>": "\u{2194}", "=>": "\u{21D2}",
        "ua": "\u{2191}", "da": "\u{2193}", "sc": "\u{00A7}", "ps": "\u{00B6}", "ct": "\u{00A2}", "Eu": "\u{20AC}",
        "eu": "\u{20AC}", "Po": "\u{00A3}", "Ye": "\u{00A5}", "ti": "~", "ha": "^", "ga": "`", "aa": "\u{00B4}",
        "rs": "\\", "sl": "/", "ba": "|", "br": "\u{2502}", "ul": "_", "ru": "_", "lB": "[", "rB": "]",
        "lC": "{", "rC": "}", "la": "\u{27E8}", "ra": "\u{27E9}", "Fo": "\u{00AB}", "Fc": "\u{00BB}",
        "fo": "\u{2039}", "fc": "\u{203A}", "dg": "\u{2020}", "dd": "\u{2021}", "ss": "\u{00DF}", "pl": "+",
        "mi": "\u{2212}", "eq": "=", "**": "\u{2217}", "if": "\u{221E}", "sr": "\u{221A}", "pd": "\u{2202}",
        "es": "\u{2205}", "mo": "\u{2208}", "sb": "\u{2282}", "sp": "\u{2283}", "ca": "\u{2229}", "cu": "\u{222A}",
        "fa": "\u{2200}", "te": "\u{2203}", "OK": "\u{2713}", "12": "\u{00BD}", "14": "\u{00BC}", "34": "\u{00BE}",
        "'e": "\u{00E9}", "`e": "\u{00E8}", "^e": "\u{00EA}", ":a": "\u{00E4}", ":o": "\u{00F6}", ":u": "\u{00FC}",
        ":A": "\u{00C4}", ":O": "\u{00D6}", ":U": "\u{00DC}", "~n": "\u{00F1}", ",c": "\u{00E7}", "'a": "\u{00E1}",
        "`a": "\u{00E0}", "'o": "\u{00F3}", "'i": "\u{00ED}", "'u": "\u{00FA}", "oa": "\u{00E5}", "/o": "\u{00F8}",
        "*a": "\u{03B1}", "*b": "\u{03B2}", "*g": "\u{03B3}", "*d": "\u{03B4}", "*e": "\u{03B5}", "*l": "\u{03BB}",
        "*m": "\u{03BC}", "*p": "\u{03C0}", "*s": "\u{03C3}", "*t": "\u{03C4}", "*f": "\u{03C6}", "*W": "\u{03A9}",
    ]

    /// The predefined strings of the `man` macros (`\*(lq`, `\*R`, `\*(Tm`).
    private static let strings: [String: String] = [
        "lq": "\u{201C}", "rq": "\u{201D}", "R": "\u{00AE}", "Tm": "\u{2122}", "S": "", "Aq": "'", "aq": "'",
        "dq": "\"", "q": "\"",
    ]
}
