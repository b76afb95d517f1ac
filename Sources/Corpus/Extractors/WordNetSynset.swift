import Documents
import FactoryCore

/// One synset of the WordNet database with its relations: the one parser of `data.*` lines, used
/// by the evaluation suites (glosses, hypernyms, antonyms) and by the corpus's text documents
/// (``WordNetReader``).
///
/// A `data.*` line reads `offset lex_filenum ss_type w_cnt (word lex_id)… p_cnt
/// (pointer_symbol offset pos source/target)… [frames] | gloss` (wndb(5WN)): `w_cnt` is two
/// hexadecimal digits, `p_cnt` three decimal ones, `source/target` four hexadecimal digits whose
/// halves name a word of this synset and of the target (`0000`: the whole synsets).
public struct WordNetSynset: Equatable, Sendable {
    /// A relation to another synset.
    public struct Pointer: Equatable, Sendable {
        /// The relation: `@` hypernym, `!` antonym, `~` hyponym, … (wninput(5WN)).
        public var symbol: String
        /// The target synset's offset.
        public var offset: String
        /// The target's file: `noun`, `verb`, `adjective` or `adverb`.
        public var partOfSpeech: String
        /// The 1-based word of this synset the relation holds for; 0 for the whole synset.
        public var sourceWord: Int
        /// The 1-based word of the target synset; 0 for the whole synset.
        public var targetWord: Int
    }

    /// `noun`, `verb`, `adjective` or `adverb` (the file it was read from).
    public var partOfSpeech: String
    /// The synset's byte offset in its file, WordNet's id for it.
    public var offset: String
    /// Its words, underscores turned into spaces, adjective markers such as `(a)` removed.
    public var words: [String]
    /// Its relations.
    public var pointers: [Pointer]
    /// The gloss without its quoted examples and trailing semicolons.
    public var definition: String
    /// The gloss's quoted example sentences.
    public var examples: [String]

    /// The data files and the part of speech each holds.
    static let files: [(file: String, partOfSpeech: String)] = [
        ("data.adj", "adjective"), ("data.adv", "adverb"), ("data.noun", "noun"), ("data.verb", "verb"),
    ]

    /// The data files' names.
    public static var fileNames: [String] { files.map(\.file) }

    /// The part of speech a pointer's one-letter code names (`s`, an adjective satellite, is an
    /// adjective).
    static func partOfSpeechName(code: Substring) -> String? {
        switch code {
        case "n": "noun"
        case "v": "verb"
        case "a", "s": "adjective"
        case "r": "adverb"
        default: nil
        }
    }

    /// Every synset of the database in `directory`, file by file (adjective, adverb, noun, verb)
    /// in file order; missing part-of-speech files are skipped, but one must exist.
    ///
    /// - Throws: ``FactoryError/corrupt(path:reason:)`` naming the file and line of a line that is
    ///   not a synset line, ``FactoryError/fileNotFound(path:)`` when no data file exists.
    public static func read(directory: String) throws -> [WordNetSynset] {
        try read(directory: directory, lenient: false)
    }

    /// ``read(directory:)``, or with `lenient` what the corpus reader (``WordNetReader``) accepts:
    /// a line whose pointer list is cut short is read with no pointers, and a line with a gloss
    /// (` | `) that is still not a synset line is skipped rather than refused.
    static func read(directory: String, lenient: Bool) throws -> [WordNetSynset] {
        var synsets = [WordNetSynset]()
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
                guard let synset = parse(text, partOfSpeech: partOfSpeech, lenient: lenient) else {
                    if lenient, text.contains(" | ") { continue }
                    throw FactoryError.corrupt(path: path, reason: "line \(lines.lineNumber): not a WordNet synset line")
                }
                synsets.append(synset)
            }
        }
        guard found else { throw FactoryError.fileNotFound(path: FileSelection.join(directory, "data.noun")) }
        return synsets
    }

    /// The data file of a part of speech (`data.noun` for `noun`).
    static func file(of partOfSpeech: String) -> String? {
        files.first { $0.partOfSpeech == partOfSpeech }?.file
    }

    /// Parses one synset line of a `data.*` file; `nil` when it is not one.
    public static func parse(_ line: String, partOfSpeech: String) -> WordNetSynset? {
        parse(line, partOfSpeech: partOfSpeech, lenient: false)
    }

    /// Parses one synset line; with `lenient`, a pointer list that is missing or cut short
    /// gives a synset without pointers instead of `nil`.
    static func parse(_ line: String, partOfSpeech: String, lenient: Bool) -> WordNetSynset? {
        guard let bar = line.range(of: " | ") else { return nil }
        let fields = line[..<bar.lowerBound].split(separator: " ")
        guard fields.count >= 4, let wordCount = Int(fields[3], radix: 16), fields.count >= 4 + 2 * wordCount else { return nil }
        let words = (0..<wordCount).map { index -> String in
            var word = fields[4 + 2 * index]
            if word.hasSuffix(")"), let open = word.lastIndex(of: "(") { word = word[..<open] }
            return String(word.map { $0 == "_" ? " " : $0 })
        }
        let pointers = Self.pointers(fields, after: 4 + 2 * wordCount)
        guard pointers != nil || lenient else { return nil }
        let gloss = line[bar.upperBound...]
        var examples = [String]()
        var definition = gloss
        if let firstQuote = gloss.firstIndex(of: "\"") {
            definition = gloss[..<firstQuote]
            var rest = gloss[firstQuote...]
            while let open = rest.firstIndex(of: "\"") {
                let afterOpen = rest.index(after: open)
                guard let close = rest[afterOpen...].firstIndex(of: "\"") else { break }
                let example = rest[afterOpen..<close].strippedOfWhitespace
                if !example.isEmpty { examples.append(example) }
                rest = rest[rest.index(after: close)...]
            }
        }
        var meaning = definition.strippedOfWhitespace
        while meaning.hasSuffix(";") { meaning = String(meaning.dropLast()).strippedOfWhitespace }
        return WordNetSynset(
            partOfSpeech: partOfSpeech, offset: String(fields[0]), words: words, pointers: pointers ?? [], definition: meaning,
            examples: examples)
    }

    /// The pointer list that starts with its count at `fields[start]`; `nil` when it is missing,
    /// cut short or malformed.
    private static func pointers(_ fields: [Substring], after start: Int) -> [Pointer]? {
        guard fields.count > start, let pointerCount = Int(fields[start]), fields.count >= start + 1 + 4 * pointerCount else { return nil }
        var pointers = [Pointer]()
        for index in 0..<pointerCount {
            let base = start + 1 + 4 * index
            let sourceTarget = fields[base + 3]
            guard let pointerPart = partOfSpeechName(code: fields[base + 2]), sourceTarget.count == 4,
                let source = Int(sourceTarget.prefix(2), radix: 16), let target = Int(sourceTarget.suffix(2), radix: 16)
            else { return nil }
            pointers.append(
                Pointer(
                    symbol: String(fields[base]), offset: String(fields[base + 1]), partOfSpeech: pointerPart, sourceWord: source,
                    targetWord: target))
        }
        return pointers
    }
}

extension StringProtocol {
    /// The text without leading and trailing white space.
    fileprivate var strippedOfWhitespace: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
