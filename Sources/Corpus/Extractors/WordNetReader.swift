import Documents
import FactoryCore

/// Reads the WordNet database (`data.noun`, `data.verb`, `data.adj`, `data.adv`) into one short
/// document per synset that has example sentences: its words, part of speech, gloss and examples.
///
/// ```
/// breathe, take a breath, respire, suspire (verb)
/// Meaning: draw air into, and expel out of, the lungs.
/// Examples:
/// - I can breathe better when the air is clean
/// - The patient is respiring
/// ```
enum WordNetReader {
    /// One synset's text and where it came from.
    struct Entry: Equatable, Sendable {
        /// `noun`, `verb`, `adjective` or `adverb`.
        var partOfSpeech: String
        /// The synset's byte offset, WordNet's id for it.
        var offset: String
        /// The document text.
        var text: String
        /// The file it was read from.
        var path: String
    }

    private static let files: [(file: String, partOfSpeech: String)] = [
        ("data.adj", "adjective"), ("data.adv", "adverb"), ("data.noun", "noun"), ("data.verb", "verb"),
    ]

    /// The entries of the database in `directory`; missing part-of-speech files are skipped, but
    /// at least one must exist.
    static func entries(directory: String) throws -> [Entry] {
        var entries = [Entry]()
        var found = false
        for (file, partOfSpeech) in files {
            let path = FileSelection.join(directory, file)
            let lines: LineReader
            do {
                lines = try LineReader(path: path)
            } catch FactoryError.fileNotFound {
                continue
            }
            found = true
            while let line = try lines.nextLine() {
                guard let first = line.first, first != UInt8(ascii: " ") else { continue }
                let text = String(decoding: line, as: UTF8.self)
                guard let entry = parse(text, partOfSpeech: partOfSpeech, path: path) else {
                    if text.contains(" | ") { continue }
                    throw FactoryError.corrupt(path: path, reason: "line \(lines.lineNumber): not a WordNet synset line")
                }
                if !entry.text.isEmpty { entries.append(entry) }
            }
        }
        guard found else { throw FactoryError.fileNotFound(path: FileSelection.join(directory, "data.noun")) }
        return entries
    }

    /// Parses one synset line; the entry's text is empty when the gloss has no examples.
    static func parse(_ line: String, partOfSpeech: String, path: String) -> Entry? {
        guard let bar = line.range(of: " | ") else { return nil }
        let fields = line[..<bar.lowerBound].split(separator: " ")
        guard fields.count >= 4, let wordCount = Int(fields[3], radix: 16), fields.count >= 4 + 2 * wordCount else { return nil }
        let words = (0..<wordCount).map { index -> String in
            var word = fields[4 + 2 * index]
            if word.hasSuffix(")"), let open = word.lastIndex(of: "(") { word = word[..<open] }
            return word.replacingUnderscores
        }
        let gloss = line[bar.upperBound...]
        var examples = [String]()
        var definition = gloss
        if let firstQuote = gloss.firstIndex(of: "\"") {
            definition = gloss[..<firstQuote]
            var rest = gloss[firstQuote...]
            while let open = rest.firstIndex(of: "\"") {
                let afterOpen = rest.index(after: open)
                guard let close = rest[afterOpen...].firstIndex(of: "\"") else { break }
                let example = rest[afterOpen..<close].trimmed
                if !example.isEmpty { examples.append(example) }
                rest = rest[rest.index(after: close)...]
            }
        }
        var meaning = definition.trimmed
        while meaning.hasSuffix(";") { meaning = String(meaning.dropLast()).trimmed }
        let text =
            examples.isEmpty
            ? ""
            : "\(words.joined(separator: ", ")) (\(partOfSpeech))\nMeaning: \(meaning)\(meaning.last.map { ".!?".contains($0) } == true ? "" : ".")\nExamples:\n"
                + examples.map { "- \($0)" }.joined(separator: "\n")
        return Entry(partOfSpeech: partOfSpeech, offset: String(fields[0]), text: text, path: path)
    }
}

extension StringProtocol {
    fileprivate var trimmed: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }

    fileprivate var replacingUnderscores: String {
        String(map { $0 == "_" ? " " : $0 })
    }
}
