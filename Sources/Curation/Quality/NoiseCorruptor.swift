import FactoryCore

/// Turns clean documents into realistic junk for bootstrapping the noise classifier: the
/// corrupted copy is a negative example and the original a positive one.
///
/// Each document gets one corruption, and with probability 0.35 a second different one, each at
/// an intensity drawn per document, from a ``RandomStream`` addressed by the document, so the
/// result depends only on the seed and the text.
struct NoiseCorruptor: Sendable {
    /// The ways a document is corrupted.
    enum Corruption: String, CaseIterable, Codable, Sendable {
        /// Navigation, cookie-banner, sharing and footer lines between the real lines.
        case boilerplate
        /// HTML tags and character references around and between words.
        case markup
        /// Lines replaced by keyword spam built from the document's own words.
        case keywordList = "keyword_list"
        /// UTF-8 read as Windows-1252 (`Ã©`, `â€™`) and replacement characters.
        case mojibake
        /// Lines in random order, and words in random order within many of them.
        case shuffledSentences = "shuffled_sentences"
        /// Some lines or paragraphs repeated many times.
        case repeatedLines = "repeated_lines"
    }

    /// The stream every document's choices are split from.
    let stream: RandomStream

    /// A corruptor drawing from `stream`.
    init(stream: RandomStream) {
        self.stream = stream
    }

    /// The corrupted text of the document `key` (a stable name such as its id) and the
    /// corruptions applied.
    func corrupt(_ text: String, key: String) -> (text: String, corruptions: [Corruption]) {
        var choices = SeededChoices(stream.split(key))
        let first = choices.pick(Corruption.allCases)
        var applied = [first]
        if choices.chance(0.35) {
            applied.append(choices.pick(Corruption.allCases.filter { $0 != first }))
        }
        var result = text
        for corruption in applied { result = apply(corruption, to: result, choices: &choices) }
        return (result, applied)
    }

    /// Applies one corruption.
    func apply(_ corruption: Corruption, to text: String, choices: inout SeededChoices) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let words = text.split(whereSeparator: { $0.isWhitespace || $0.isPunctuation }).map(String.init).filter { $0.count >= 3 }
        switch corruption {
        case .boilerplate:
            let count = max(3, Int(Double(lines.count) * choices.double(in: 0.4...1.5)))
            for _ in 0..<count {
                let line = fill(choices.pick(NoiseTemplates.boilerplateLines), words: words, choices: &choices)
                lines.insert(line, at: choices.int(in: 0...lines.count))
            }
            return lines.joined(separator: "\n")
        case .markup:
            let rate = choices.double(in: 0.15...0.6)
            var out = [String]()
            for line in lines {
                var pieces = [String]()
                for word in line.split(separator: " ", omittingEmptySubsequences: false) {
                    if choices.chance(rate) {
                        pieces.append(
                            fill(choices.pick(NoiseTemplates.openingTags), words: words, choices: &choices)
                                + word + choices.pick(NoiseTemplates.closingTags))
                    } else {
                        pieces.append(String(word))
                    }
                    if choices.chance(rate / 3) { pieces.append(fill(choices.pick(NoiseTemplates.markupFragments), words: words, choices: &choices)) }
                }
                out.append(pieces.joined(separator: " "))
            }
            return out.joined(separator: "\n")
        case .keywordList:
            let share = choices.double(in: 0.3...0.8)
            let vocabulary = words.isEmpty ? ["item"] : words
            for index in lines.indices where choices.chance(share) {
                let phrases = (0..<choices.int(in: 3...9)).map { _ in
                    fill(choices.pick(NoiseTemplates.keywordPatterns), words: vocabulary, choices: &choices).lowercased()
                }
                lines[index] = phrases.joined(separator: choices.chance(0.5) ? ", " : " | ")
            }
            return lines.joined(separator: "\n")
        case .mojibake:
            return mojibake(text, rate: choices.double(in: 0.5...1), choices: &choices)
        case .shuffledSentences:
            let wordShuffleRate = choices.double(in: 0.5...1)
            return choices.shuffled(lines).map { line in
                guard choices.chance(wordShuffleRate) else { return line }
                return choices.shuffled(line.split(separator: " ").map(String.init)).joined(separator: " ")
            }.joined(separator: "\n")
        case .repeatedLines:
            let candidates = lines.indices.filter { !lines[$0].allSatisfy(\.isWhitespace) }
            guard !candidates.isEmpty else { return text }
            let repeated = (0..<choices.int(in: 1...3)).map { _ in lines[choices.pick(candidates)] }
            let copies = max(4, Int(Double(lines.count) * choices.double(in: 0.3...1.0)))
            for _ in 0..<copies { lines.insert(choices.pick(repeated), at: choices.int(in: 0...lines.count)) }
            return lines.joined(separator: "\n")
        }
    }

    /// Fills `{site}`, `{year}`, `{n}` and `{word}` placeholders.
    private func fill(_ template: String, words: [String], choices: inout SeededChoices) -> String {
        guard template.contains("{") else { return template }
        var result = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            switch rest[rest.index(after: open)..<close] {
            case "site": result += choices.pick(NoiseTemplates.sites)
            case "year": result += String(choices.int(in: 2005...2024))
            case "n": result += String(choices.int(in: 1...99))
            default: result += words.isEmpty ? "item" : choices.pick(words).lowercased()
            }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// Characters of `text` garbled at `rate`: non-ASCII characters and typographic ASCII
    /// (quotes, apostrophes, dashes) become their UTF-8 bytes read as Windows-1252, and some
    /// letters become U+FFFD.
    private func mojibake(_ text: String, rate: Double, choices: inout SeededChoices) -> String {
        var out = String.UnicodeScalarView()
        let replacementRate = choices.double(in: 0.005...0.03)
        for scalar in text.unicodeScalars {
            let smart: Unicode.Scalar? =
                switch scalar {
                case "'": "\u{2019}"
                case "\"": "\u{201C}"
                case "-": "\u{2013}"
                default: scalar.isASCII ? nil : scalar
                }
            if let smart, choices.chance(rate) {
                for byte in String(smart).utf8 { out.append(Self.windows1252(byte)) }
            } else if scalar.properties.isAlphabetic, choices.chance(replacementRate) {
                out.append("\u{FFFD}")
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// The character Windows-1252 decodes `byte` to (Latin-1 where Windows-1252 has a gap).
    static func windows1252(_ byte: UInt8) -> Unicode.Scalar {
        let high: [UInt32] = [
            0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
            0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
        ]
        if (0x80...0x9F).contains(byte) { return Unicode.Scalar(high[Int(byte - 0x80)])! }
        return Unicode.Scalar(byte)
    }
}
