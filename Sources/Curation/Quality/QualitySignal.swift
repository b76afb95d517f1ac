/// A named heuristic quality signal in the style of the Gopher, C4 and FineWeb rules.
///
/// Every signal is a number computed from a document's text alone (``QualitySignals/compute(_:)``).
/// Signals serve two purposes: as filters (a `min`/`max` rule on one signal, see ``QualityFilter``)
/// and as features of the quality classifiers (see ``SignalScaling``).
///
/// Definitions, shared by all signals:
/// - a *word* is a run of non-whitespace (ASCII whitespace) with leading and trailing ASCII
///   punctuation removed, lowercased (ASCII); tokens that are only punctuation are not words;
/// - a *character* is a Unicode scalar; word lengths count scalars;
/// - a *line* is the text between `\n`s, trimmed of whitespace; empty lines are ignored;
/// - a *paragraph* is the text between blank lines, trimmed; empty paragraphs are ignored;
/// - a ratio whose denominator is zero is 0.
public enum QualitySignal: String, CaseIterable, Codable, Sendable {
    /// Unicode scalars in the text.
    case characterCount = "character_count"
    /// Words (Gopher keeps 50 to 100,000).
    case wordCount = "word_count"
    /// Mean characters per word (Gopher keeps 3 to 10).
    case meanWordLength = "mean_word_length"
    /// Non-empty lines.
    case lineCount = "line_count"
    /// Occurrences of `#`, `...` and `…` per word (Gopher drops above 0.1).
    case symbolWordRatio = "symbol_word_ratio"
    /// Share of lines starting with a bullet (`-`, `*`, `•`, `‣`, `⁃`, `◦`, `●`; Gopher drops above 0.9).
    case bulletLineFraction = "bullet_line_fraction"
    /// Share of lines ending in `...` or `…` (Gopher drops above 0.3).
    case ellipsisLineFraction = "ellipsis_line_fraction"
    /// Share of lines ending in terminal punctuation `.`, `!`, `?`, `"`, `'`, `”`, `’`, `…`
    /// (C4 keeps only such lines; FineWeb drops documents below 0.12).
    case punctuationLineFraction = "punctuation_line_fraction"
    /// Share of lines shorter than 30 characters (FineWeb drops above 0.67).
    case shortLineFraction = "short_line_fraction"
    /// Share of words holding at least one letter (ASCII letter or non-ASCII scalar; Gopher keeps above 0.8).
    case alphabeticWordFraction = "alphabetic_word_fraction"
    /// Occurrences of the Gopher stop words `the`, `be`, `to`, `of`, `and`, `that`, `have`, `with`
    /// (Gopher keeps 2 and more).
    case stopWordCount = "stop_word_count"
    /// Distinct words per word (low for keyword lists and repetition).
    case uniqueWordFraction = "unique_word_fraction"
    /// Share of ASCII letters that are uppercase.
    case uppercaseFraction = "uppercase_fraction"
    /// Share of characters that are ASCII digits.
    case digitFraction = "digit_fraction"
    /// Share of characters outside ASCII.
    case nonASCIIFraction = "non_ascii_fraction"
    /// Share of characters that are U+FFFD, the replacement character of failed decoding.
    case replacementCharacterFraction = "replacement_character_fraction"
    /// Share of characters in typical mojibake pairs (UTF-8 read as Latin-1 or Windows-1252:
    /// `Ã` or `Â` followed by U+0080–U+00BF, `â` followed by `€`).
    case mojibakeFraction = "mojibake_fraction"
    /// Share of bytes inside HTML/XML tags (`<a href=…>`, `</div>`) and character references (`&nbsp;`).
    case markupFraction = "markup_fraction"
    /// Share of lines holding boilerplate phrases (C4's `javascript`, `lorem ipsum`, cookie and
    /// policy notices, plus navigation phrases such as `sign up`, `log in`, `click here`).
    case boilerplateLineFraction = "boilerplate_line_fraction"
    /// Share of lines equal to an earlier line (Gopher drops above 0.3).
    case duplicateLineFraction = "duplicate_line_fraction"
    /// Share of line characters in lines equal to an earlier line (Gopher drops above 0.2).
    case duplicateLineCharacterFraction = "duplicate_line_character_fraction"
    /// Share of paragraphs equal to an earlier paragraph (Gopher drops above 0.3).
    case duplicateParagraphFraction = "duplicate_paragraph_fraction"
    /// Share of paragraph characters in paragraphs equal to an earlier one (Gopher drops above 0.2).
    case duplicateParagraphCharacterFraction = "duplicate_paragraph_character_fraction"
    /// Characters of the most frequent word 2-gram times its count, per word character (Gopher drops above 0.2).
    case top2gramCharacterFraction = "top_2gram_character_fraction"
    /// The same for word 3-grams (Gopher drops above 0.18).
    case top3gramCharacterFraction = "top_3gram_character_fraction"
    /// The same for word 4-grams (Gopher drops above 0.16).
    case top4gramCharacterFraction = "top_4gram_character_fraction"
    /// Share of word characters covered by word 5-grams that occur more than once (Gopher drops above 0.15).
    case duplicate5gramCharacterFraction = "duplicate_5gram_character_fraction"
    /// The same for 6-grams (Gopher: 0.14).
    case duplicate6gramCharacterFraction = "duplicate_6gram_character_fraction"
    /// The same for 7-grams (Gopher: 0.13).
    case duplicate7gramCharacterFraction = "duplicate_7gram_character_fraction"
    /// The same for 8-grams (Gopher: 0.12).
    case duplicate8gramCharacterFraction = "duplicate_8gram_character_fraction"
    /// The same for 9-grams (Gopher: 0.11).
    case duplicate9gramCharacterFraction = "duplicate_9gram_character_fraction"
    /// The same for 10-grams (Gopher: 0.10).
    case duplicate10gramCharacterFraction = "duplicate_10gram_character_fraction"

    /// The signal's position in ``allCases`` (and in ``QualitySignalValues/values``).
    public var index: Int { Self.indexByName[rawValue]! }

    /// Whether the signal counts things (unbounded, heavy-tailed) rather than being a ratio;
    /// counts enter the classifiers as `log(1 + value)`.
    var isCount: Bool {
        switch self {
        case .characterCount, .wordCount, .lineCount, .stopWordCount: true
        default: false
        }
    }

    /// The signal called `name`, or `nil`.
    public init?(name: String) {
        self.init(rawValue: name)
    }

    private static let indexByName: [String: Int] = Dictionary(
        uniqueKeysWithValues: allCases.enumerated().map { ($1.rawValue, $0) })
}

/// The values of every ``QualitySignal`` for one text, in ``QualitySignal/allCases`` order.
public struct QualitySignalValues: Equatable, Sendable {
    /// One value per signal.
    public var values: [Double]

    /// All zeros.
    public init() {
        values = [Double](repeating: 0, count: QualitySignal.allCases.count)
    }

    /// The value of `signal`.
    public subscript(signal: QualitySignal) -> Double {
        get { values[signal.index] }
        set { values[signal.index] = newValue }
    }
}
