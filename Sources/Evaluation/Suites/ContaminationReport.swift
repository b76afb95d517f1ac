/// What ``ContaminationCheck`` found, written as JSON (`--output`): per task file its n, the
/// documents with any n-gram in the training shards, the mean and largest overlap, and every
/// document's figures.
public struct ContaminationReport: Codable, Equatable, Sendable {
    /// One document.
    public struct DocumentOverlap: Codable, Equatable, Sendable {
        /// The document's id.
        public var id: String
        /// Its length in tokens (context or prompt plus gold answer).
        public var tokens: Int
        /// Its n-grams (0 when it is shorter than n).
        public var ngrams: Int
        /// Those found in the training shards.
        public var found: Int
        /// `found / ngrams` (0 without n-grams).
        public var overlap: Double
    }

    /// One task file.
    public struct TaskOverlap: Codable, Equatable, Sendable {
        /// The header's name (unique in a task folder).
        public var name: String
        /// The n of its n-grams.
        public var ngram: Int
        /// Documents with at least one n-gram found.
        public var documentsWithOverlap: Int
        /// Documents shorter than n (not checked).
        public var documentsTooShort: Int
        /// Mean of the documents' overlap over those with n-grams.
        public var meanOverlap: Double
        /// The largest document overlap.
        public var maxOverlap: Double
        /// Every document, in file order.
        public var documents: [DocumentOverlap]

        /// The summary of `documents` checked with n-grams of `ngram` tokens.
        public init(name: String, ngram: Int, documents: [DocumentOverlap]) {
            self.name = name
            self.ngram = ngram
            self.documents = documents
            let checked = documents.filter { $0.ngrams > 0 }
            documentsWithOverlap = documents.filter { $0.found > 0 }.count
            documentsTooShort = documents.count - checked.count
            meanOverlap = checked.isEmpty ? 0 : checked.reduce(0.0) { $0 + $1.overlap } / Double(checked.count)
            maxOverlap = checked.map(\.overlap).max() ?? 0
        }

        enum CodingKeys: String, CodingKey {
            case name, ngram, documents
            case documentsWithOverlap = "documents_with_overlap"
            case documentsTooShort = "documents_too_short"
            case meanOverlap = "mean_overlap"
            case maxOverlap = "max_overlap"
        }
    }

    /// The task folder checked.
    public var tasks: String
    /// The training shard folder.
    public var shards: String
    /// The tokenizer's path and digest.
    public var tokenizer: String
    public var tokenizerDigest: String
    /// How n was chosen.
    public var rule: String
    /// Tokens and documents of the training shards streamed.
    public var trainingTokens: Int
    public var trainingDocuments: Int
    /// Every task file, in name order.
    public var taskFiles: [TaskOverlap]

    enum CodingKeys: String, CodingKey {
        case tasks, shards, tokenizer, rule
        case tokenizerDigest = "tokenizer_digest"
        case trainingTokens = "training_tokens"
        case trainingDocuments = "training_documents"
        case taskFiles = "task_files"
    }
}
