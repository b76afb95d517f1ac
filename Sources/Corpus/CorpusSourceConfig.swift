/// One source of documents in a corpus configuration (`[[sources]]` in TOML).
///
/// Every source has a `name` (unique, used in document ids), a `domain` and a `kind`; the other
/// keys depend on the kind (``CorpusConfig/validate(file:)`` rejects keys a kind does not use).
public struct CorpusSourceConfig: Decodable, Sendable, Equatable {
    /// Where documents come from.
    public enum Kind: String, Decodable, Sendable, CaseIterable {
        /// Decodes the raw value; an unknown one is an error listing the accepted values.
        public init(from decoder: Decoder) throws { self = try ConfigEnumeration.decode(from: decoder) }

        /// Text files: a file, a folder (filtered by `include`/`exclude` globs) or a glob path.
        case files
        /// JSON Lines files with a `text` field per line (plus optional `id` and metadata fields).
        case jsonl
        /// A WordNet database folder (`data.noun`, `data.verb`, …): glosses with example sentences.
        case wordnet
        /// The standard output of a program run without a shell (`command = ["bible", …]`).
        case command
        /// Generated math problems with worked solutions (``SyntheticMath``), tagged `synthetic`.
        case syntheticMath = "synthetic-math"
    }

    /// How a file's bytes become plain text.
    public enum TextFormat: String, Decodable, Sendable, CaseIterable {
        /// Decodes the raw value; an unknown one is an error listing the accepted values.
        public init(from decoder: Decoder) throws { self = try ConfigEnumeration.decode(from: decoder) }

        /// As is (UTF-8; invalid bytes become U+FFFD).
        case text
        /// HTML converted by ``HTMLText``.
        case html
        /// roff manual pages converted by ``RoffText``.
        case roff
    }

    /// How one file's (or one program's) text is cut into documents (``TextSplitter``).
    public enum SplitMode: String, Decodable, Sendable, CaseIterable {
        /// Decodes the raw value; an unknown one is an error listing the accepted values.
        public init(from decoder: Decoder) throws { self = try ConfigEnumeration.decode(from: decoder) }

        /// The whole text is one document.
        case file
        /// Every blank-line-separated paragraph is a document.
        case paragraphs
        /// Documents are separated by lines equal to `delimiter` (fortune files use `%`).
        case delimiter
        /// A one-line paragraph (a heading such as `Genesis 1`) after a section's body starts a
        /// new document; the heading and the paragraphs up to the next heading form it.
        case sections
    }

    /// A unique name; letters, digits, `.`, `_`, `-`.
    public var name: String
    /// The domain its documents are mixed under.
    public var domain: String
    /// Where documents come from.
    public var kind: Kind
    /// A file, a folder, or a glob (`~/notes/**/*.md`); for `files`, `jsonl`, `wordnet`.
    public var path: String?
    /// Globs relative to `path` that a file must match (default: every file).
    var include: [String]?
    /// Globs relative to `path` that drop a file.
    var exclude: [String]?
    /// Only take files the Debian package `package` installed (per dpkg's file list).
    var packageFilesOnly: Bool?
    /// How files become text (default `text`).
    public var format: TextFormat?
    /// How text becomes documents (default `file`).
    public var split: SplitMode?
    /// The separator line for `split = "delimiter"`.
    public var delimiter: String?
    /// The program and its arguments, for `kind = "command"`.
    public var command: [String]?
    /// The most bytes of a command's output read (default ``defaultMaxOutputBytes``): the
    /// program is stopped there and its output cut at the last line end, and the source is
    /// recorded as capped.
    public var maxOutputBytes: Int?
    /// The package the text comes from; its `/usr/share/doc/PKG/copyright` supplies the license.
    public var package: String?
    /// A license id that overrides what the copyright file says.
    public var license: String?
    /// At most this many documents from the source.
    var maxDocs: Int?
    /// Stop once this many text bytes have been taken from the source.
    public var maxBytes: Int?
    /// Skip documents longer than this (bytes of text).
    var maxDocBytes: Int?
    /// Skip documents shorter than this (bytes of text after trimming; default 1).
    var minDocBytes: Int?
    /// When true, a missing path is reported and skipped instead of failing the build.
    public var optional: Bool?
    /// Problems to generate, for `synthetic-math`.
    public var count: Int?
    /// The generator seed, for `synthetic-math` (default 0).
    public var seed: Int?

    enum CodingKeys: String, CodingKey {
        case name, domain, kind, path, include, exclude, format, split, delimiter, command
        case package, license, optional, count, seed
        case packageFilesOnly = "package_files_only"
        case maxOutputBytes = "max_output_bytes"
        case maxDocs = "max_docs"
        case maxBytes = "max_bytes"
        case maxDocBytes = "max_doc_bytes"
        case minDocBytes = "min_doc_bytes"
    }

    /// Creates a source in code; see the properties for the meaning of each value.
    public init(
        name: String, domain: String, kind: Kind, path: String? = nil, include: [String]? = nil,
        exclude: [String]? = nil, packageFilesOnly: Bool? = nil, format: TextFormat? = nil,
        split: SplitMode? = nil, delimiter: String? = nil, command: [String]? = nil,
        package: String? = nil, license: String? = nil, maxDocs: Int? = nil, maxBytes: Int? = nil,
        maxDocBytes: Int? = nil, minDocBytes: Int? = nil, optional: Bool? = nil,
        count: Int? = nil, seed: Int? = nil, maxOutputBytes: Int? = nil
    ) {
        self.maxOutputBytes = maxOutputBytes
        self.name = name
        self.domain = domain
        self.kind = kind
        self.path = path
        self.include = include
        self.exclude = exclude
        self.packageFilesOnly = packageFilesOnly
        self.format = format
        self.split = split
        self.delimiter = delimiter
        self.command = command
        self.package = package
        self.license = license
        self.maxDocs = maxDocs
        self.maxBytes = maxBytes
        self.maxDocBytes = maxDocBytes
        self.minDocBytes = minDocBytes
        self.optional = optional
        self.count = count
        self.seed = seed
    }

    /// How much of a command's output is read when `max_output_bytes` is not set: 64 MiB.
    public static let defaultMaxOutputBytes = 1 << 26

    /// The most problems a `synthetic-math` source generates (`count`).
    public static let maxSyntheticCount = 100_000_000

    /// The most bytes of a command's output read.
    var outputLimit: Int { maxOutputBytes ?? Self.defaultMaxOutputBytes }

    /// Names and domains become file and folder names and parts of document ids.
    static func isSafeName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".")
            && name.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "._-".unicodeScalars.contains(scalar))
            }
    }
}

/// Decoding of string-valued configuration enumerations with an error that lists the accepted values.
enum ConfigEnumeration {
    static func decode<T: RawRepresentable & CaseIterable>(from decoder: Decoder) throws -> T where T.RawValue == String {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let value = T(rawValue: raw) else {
            let accepted = T.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "unknown value \"\(raw)\"; expected one of \(accepted)"))
        }
        return value
    }
}
