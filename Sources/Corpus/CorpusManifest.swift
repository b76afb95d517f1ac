/// What a corpus build produced: documents and bytes per domain, split and source, the output
/// files with their SHA-256 digests, and each source's provenance. Written as `manifest.json`
/// next to the domain folders; it holds no timestamps, so the same inputs give the same bytes.
public struct CorpusManifest: Codable, Equatable, Sendable {
    /// Counts for one output file.
    public struct FileStats: Codable, Equatable, Sendable {
        /// The file, relative to the output folder (`code/train.jsonl`).
        public var file: String
        /// Documents in the file.
        public var documents: Int
        /// UTF-8 bytes of document text in the file.
        public var textBytes: Int
        /// SHA-256 of the file.
        public var digest: String

        enum CodingKeys: String, CodingKey {
            case file, documents, digest
            case textBytes = "text_bytes"
        }
    }

    /// One domain's two files and the sources that fed it.
    public struct DomainStats: Codable, Equatable, Sendable {
        /// The training documents.
        public var train: FileStats
        /// The held-out documents.
        public var validation: FileStats
        /// Source names, in build order.
        public var sources: [String]
    }

    /// One source's provenance and yield.
    public struct SourceStats: Codable, Equatable, Sendable {
        /// The source's name.
        public var name: String
        /// Its domain.
        public var domain: String
        /// Its kind (`files`, `wordnet`, …).
        public var kind: String
        /// The Debian package it reads, if any.
        public var package: String?
        /// The license recorded on its documents.
        public var license: String
        /// The path or command it reads, as configured.
        var origin: String?
        /// `built`, or `missing` for an optional source whose path or program is absent.
        public var status: String
        /// Files matched (file-based kinds).
        public var files: Int?
        /// Documents kept, in train and validation together.
        public var documents: Int
        /// UTF-8 bytes of kept document text.
        public var textBytes: Int
        /// Documents kept for validation.
        var validationDocuments: Int
        /// Documents dropped for being shorter than `min_doc_bytes`.
        var skippedShort: Int
        /// Documents dropped for being longer than `max_doc_bytes`.
        var skippedLong: Int
        /// Whether `max_docs` or `max_bytes` stopped the source early.
        public var capped: Bool

        enum CodingKeys: String, CodingKey {
            case name, domain, kind, package, license, origin, status, files, documents, capped
            case textBytes = "text_bytes"
            case validationDocuments = "validation_documents"
            case skippedShort = "skipped_short"
            case skippedLong = "skipped_long"
        }
    }

    /// The factory version that built the corpus.
    public var factoryVersion: String
    /// The configuration file.
    public var config: String
    /// SHA-256 of the configuration file's bytes.
    public var configDigest: String
    /// The validation share asked for.
    public var validationFraction: Double
    /// The cap given on the command line, if any.
    public var maxDocsPerSource: Int?
    /// Per domain, keyed by domain name.
    public var domains: [String: DomainStats]
    /// Per source, in configuration order.
    public var sources: [SourceStats]

    /// The document files, relative to the output folder, by domain then split
    /// (`code/train.jsonl`, `code/validation.jsonl`, …).
    public var documentFiles: [String] {
        domains.keys.sorted().flatMap { [domains[$0]!.train.file, domains[$0]!.validation.file] }
    }

    enum CodingKeys: String, CodingKey {
        case config, domains, sources
        case factoryVersion = "factory_version"
        case configDigest = "config_digest"
        case validationFraction = "validation_fraction"
        case maxDocsPerSource = "max_docs_per_source"
    }
}
