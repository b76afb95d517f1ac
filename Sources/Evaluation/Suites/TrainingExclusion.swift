import Documents
import FactoryCore
import Foundation

/// What a corpus's training split holds, as far as the suites' material is concerned: the files
/// its training documents were read from, the WordNet synsets it took, and the statements of its
/// synthetic math problems. A suite drops every item whose material is in here.
///
/// The rule: an item is built only from material the training split did not take: a file none of
/// whose documents is in any `DOMAIN/train.jsonl` (validation documents and files the corpus's
/// caps left out are fair), a synset that is not a training document, a generated problem whose
/// statement no training problem has.
public struct TrainingExclusion: Sendable {
    /// Standardized paths (`metadata.path`) of files with a training document.
    public private(set) var paths = Set<String>()
    /// `part_of_speech/offset` of WordNet synsets that are training documents.
    public private(set) var synsets = Set<String>()
    /// Statements of the synthetic math problems in training.
    public private(set) var mathStatements = Set<String>()
    /// Training documents read.
    public private(set) var documents = 0
    /// The corpus folder, or `nil` when nothing is excluded.
    public let corpus: String?

    /// Nothing excluded: the suites are built from raw material (the manifest says so).
    public static let none = TrainingExclusion(corpus: nil)

    private init(corpus: String?) {
        self.corpus = corpus
    }

    /// Reads every `DOMAIN/train.jsonl` of a corpus folder (`factory corpus build` output).
    ///
    /// - Throws: ``FactoryError/fileNotFound(path:)`` for a missing folder,
    ///   ``FactoryError/corrupt(path:reason:)`` for a folder with no training file or a bad line.
    public static func reading(corpus: String) throws -> TrainingExclusion {
        var exclusion = TrainingExclusion(corpus: corpus)
        for part in try CorpusFolderLayout.parts(of: corpus) {
            let reader = try JSONLinesReader(path: part.trainPath)
            while let document = try reader.nextDocument() {
                exclusion.add(document)
            }
        }
        return exclusion
    }

    private mutating func add(_ document: Document) {
        documents += 1
        if let offset = document.metadata["synset_offset"], let partOfSpeech = document.metadata["part_of_speech"] {
            synsets.insert("\(partOfSpeech)/\(offset)")
        } else if document.metadata["generator"] == "synthetic-math" {
            if let statement = Self.mathStatement(document.text) { mathStatements.insert(statement) }
        } else if let path = document.metadata[Document.MetadataKey.path] {
            paths.insert(Self.standardized(path))
        }
    }

    /// The statement of a synthetic math document (`Problem: STATEMENT\n\nSolution:…`).
    static func mathStatement(_ text: String) -> String? {
        guard text.hasPrefix("Problem: "), let end = text.range(of: "\n\nSolution:") else { return nil }
        return String(text[text.index(text.startIndex, offsetBy: "Problem: ".count)..<end.lowerBound])
    }

    /// A path in the form both sides compare: absolute, `.`/`..` and symbolic links resolved.
    static func standardized(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// Whether the file at `path` has a training document.
    func contains(path: String) -> Bool { paths.contains(Self.standardized(path)) }
}
