/// Small text operations the suites share.
enum SuiteText {
    /// The text with runs of white space turned into one space, trimmed.
    static func collapsed(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The text with every whole-word occurrence of `names` replaced by `___`, so a description
    /// does not give its answer away.
    static func masking(_ names: [String], in text: String) -> String {
        var result = text
        for name in names.sorted(by: { $0.count > $1.count }) where !name.isEmpty {
            var output = ""
            var rest = Substring(result)
            while let range = rest.range(of: name) {
                let before = rest[..<range.lowerBound].last
                let after = rest[range.upperBound...].first
                let isWord = { (character: Character?) in character.map { $0.isLetter || $0.isNumber || $0 == "_" } ?? false }
                output += rest[..<range.lowerBound]
                output += isWord(before) || isWord(after) ? String(rest[range]) : "___"
                rest = rest[range.upperBound...]
            }
            result = output + rest
        }
        return result
    }
}
