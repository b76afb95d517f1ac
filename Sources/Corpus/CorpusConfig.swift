import FactoryCore

/// A corpus description, read from TOML (`corpora/local.toml` is the default):
///
/// ```toml
/// [split]
/// validation_fraction = 0.02
///
/// [[sources]]
/// name = "python-stdlib"
/// domain = "code"
/// kind = "files"
/// path = "/usr/lib/python3.11"
/// include = ["**/*.py"]
/// package = "libpython3.11-stdlib"
/// max_docs = 300
/// ```
///
/// Decoding is strict (unknown keys are errors) and ``load(path:)`` validates what the schema
/// alone cannot, naming the file and the key path of the first problem.
public struct CorpusConfig: Decodable, Sendable {
    /// How documents are held out for validation.
    public var split: CorpusSplitConfig
    /// The sources, built in this order within each domain.
    public var sources: [CorpusSourceConfig]

    enum CodingKeys: String, CodingKey {
        case split, sources
    }

    /// Creates a configuration in code.
    public init(split: CorpusSplitConfig = CorpusSplitConfig(), sources: [CorpusSourceConfig]) {
        self.split = split
        self.sources = sources
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        split = try container.decodeIfPresent(CorpusSplitConfig.self, forKey: .split) ?? CorpusSplitConfig()
        sources = try container.decode([CorpusSourceConfig].self, forKey: .sources)
    }

    /// Reads, decodes and validates a corpus TOML file.
    public static func load(path: String) throws -> CorpusConfig {
        let config = try ConfigLoader.decode(CorpusConfig.self, tomlFile: path)
        try config.validate(file: path)
        return config
    }

    /// Checks the rules the schema cannot express; `file` names the configuration in errors.
    public func validate(file: String) throws {
        func fail(_ keyPath: String, _ message: String) -> FactoryError {
            .config(file: file, keyPath: keyPath, line: nil, message: message)
        }
        guard (0..<1).contains(split.validationFraction) else {
            throw fail("split.validation_fraction", "must be at least 0 and below 1, found \(split.validationFraction)")
        }
        guard !sources.isEmpty else { throw fail("sources", "declare at least one source") }
        var seen = Set<String>()
        for (index, source) in sources.enumerated() {
            let prefix = "sources[\(index)]"
            guard CorpusSourceConfig.isSafeName(source.name) else {
                throw fail("\(prefix).name", "'\(source.name)' must be non-empty and use only letters, digits, '.', '_' and '-'")
            }
            guard seen.insert(source.name).inserted else {
                throw fail("\(prefix).name", "the name '\(source.name)' is used by an earlier source")
            }
            guard CorpusSourceConfig.isSafeName(source.domain) else {
                throw fail("\(prefix).domain", "'\(source.domain)' must be non-empty and use only letters, digits, '.', '_' and '-'")
            }
            for (key, value) in [("max_docs", source.maxDocs), ("max_bytes", source.maxBytes), ("max_doc_bytes", source.maxDocBytes)] {
                if let value, value <= 0 { throw fail("\(prefix).\(key)", "must be positive, found \(value)") }
            }
            if let minimum = source.minDocBytes, minimum < 0 {
                throw fail("\(prefix).min_doc_bytes", "must not be negative, found \(minimum)")
            }
            try validateKind(of: source, prefix: prefix, fail: fail)
        }
    }

    private func validateKind(
        of source: CorpusSourceConfig, prefix: String, fail: (String, String) -> FactoryError
    ) throws {
        func forbid(_ key: String, _ present: Bool) throws {
            if present { throw fail("\(prefix).\(key)", "is not used by sources of kind '\(source.kind.rawValue)'") }
        }
        let readsFiles = source.kind == .files || source.kind == .jsonl || source.kind == .wordnet
        if readsFiles, source.path == nil { throw fail("\(prefix).path", "missing required key (kind '\(source.kind.rawValue)' reads files)") }
        try forbid("path", !readsFiles && source.path != nil)
        try forbid("include", !(source.kind == .files || source.kind == .jsonl) && source.include != nil)
        try forbid("exclude", !(source.kind == .files || source.kind == .jsonl) && source.exclude != nil)
        try forbid("package_files_only", !readsFiles && source.packageFilesOnly != nil)
        try forbid("format", source.kind != .files && source.format != nil)
        try forbid("split", !(source.kind == .files || source.kind == .command) && source.split != nil)
        try forbid("command", source.kind != .command && source.command != nil)
        try forbid("max_output_bytes", source.kind != .command && source.maxOutputBytes != nil)
        try forbid("count", source.kind != .syntheticMath && source.count != nil)
        try forbid("seed", source.kind != .syntheticMath && source.seed != nil)
        if source.packageFilesOnly == true, source.package == nil {
            throw fail("\(prefix).package", "missing required key (package_files_only needs the package name)")
        }
        switch source.kind {
        case .command:
            guard let command = source.command, let program = command.first, !program.isEmpty else {
                throw fail("\(prefix).command", "give the program and its arguments, e.g. [\"bible\", \"Gen1:1-3\"]")
            }
            if let limit = source.maxOutputBytes {
                guard limit > 0 else { throw fail("\(prefix).max_output_bytes", "must be positive, found \(limit)") }
                // The output is held twice at its peak: as bytes and as text.
                do {
                    try MemoryBudget.require(
                        MemoryBudget.product(limit, 2), for: "the command's output", name: "max_output_bytes = \(limit)")
                } catch FactoryError.invalidArgument(_, let message) {
                    throw fail("\(prefix).max_output_bytes", message)
                }
            }
        case .syntheticMath:
            guard let count = source.count, count > 0 else {
                throw fail("\(prefix).count", "give the number of problems to generate (a positive integer)")
            }
            guard count <= CorpusSourceConfig.maxSyntheticCount else {
                throw fail("\(prefix).count", "must be at most \(CorpusSourceConfig.maxSyntheticCount), found \(count)")
            }
        case .files, .jsonl, .wordnet:
            break
        }
        let split = source.split ?? .file
        if split == .delimiter, (source.delimiter ?? "").isEmpty {
            throw fail("\(prefix).delimiter", "missing required key (split = \"delimiter\" needs the separator line)")
        }
        try forbid("delimiter", split != .delimiter && source.delimiter != nil)
    }
}

/// How the validation split is drawn.
public struct CorpusSplitConfig: Decodable, Sendable, Equatable {
    /// The share of each domain's documents held out for validation, in [0, 1).
    public var validationFraction: Double

    enum CodingKeys: String, CodingKey {
        case validationFraction = "validation_fraction"
    }

    /// Creates a split configuration (2% held out by default).
    public init(validationFraction: Double = 0.02) {
        self.validationFraction = validationFraction
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        validationFraction = try container.decodeIfPresent(Double.self, forKey: .validationFraction) ?? 0.02
    }
}
