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

    /// The entries of the database in `directory` (``WordNetSynset``'s lenient reading: a
    /// pointer list cut short is tolerated); missing part-of-speech files are skipped, but at
    /// least one must exist.
    static func entries(directory: String) throws -> [Entry] {
        try WordNetSynset.read(directory: directory, lenient: true).compactMap { synset in
            guard !synset.examples.isEmpty, let file = WordNetSynset.file(of: synset.partOfSpeech) else { return nil }
            return Entry(
                partOfSpeech: synset.partOfSpeech, offset: synset.offset, text: text(of: synset), path: FileSelection.join(directory, file))
        }
    }

    /// A synset's document: its words and part of speech, its meaning (ending with a full stop
    /// unless it ends with `.`, `!` or `?`) and its examples.
    static func text(of synset: WordNetSynset) -> String {
        let meaning = synset.definition
        return "\(synset.words.joined(separator: ", ")) (\(synset.partOfSpeech))\nMeaning: \(meaning)"
            + "\(meaning.last.map { ".!?".contains($0) } == true ? "" : ".")\nExamples:\n"
            + synset.examples.map { "- \($0)" }.joined(separator: "\n")
    }
}
