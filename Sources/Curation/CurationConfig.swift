import FactoryCore

/// A curation description, read from TOML (`examples/curate.toml` documents every key).
///
/// Every table is optional and has defaults; decoding is strict (unknown keys are errors) and
/// ``load(path:)`` validates what the schema cannot, naming the file and the key path of the
/// first problem.
public struct CurationConfig: Decodable, Sendable {
    /// The seed of training-set sampling, corruption, the held-out split and selection.
    public var seed: UInt64
    /// What the classifiers read.
    public var features: QualityFeatureConfig
    /// How the classifiers are fitted.
    public var training: CurationTrainingConfig
    /// Where the noise axis's labels come from.
    public var noise: NoiseLabelConfig
    /// Where the information axis's labels come from.
    public var information: InformationLabelConfig
    /// How the two probabilities combine.
    public var composite: CompositeScore
    /// Heuristic filters, applied in order (a document fails on the first rule it breaks).
    public var filters: [QualityFilter]
    /// Deduplication.
    public var dedup: CurationDedupConfig
    /// Bucketing by composite score and the share kept from each bucket.
    public var selection: SelectionConfig
    /// What the curated documents carry.
    public var output: CurationOutputConfig

    enum CodingKeys: String, CodingKey {
        case seed, features, training, noise, information, composite, filters, dedup, selection, output
    }

    /// The defaults for everything.
    public init() {
        seed = 1
        features = QualityFeatureConfig()
        training = CurationTrainingConfig()
        noise = NoiseLabelConfig()
        information = InformationLabelConfig()
        composite = CompositeScore()
        filters = []
        dedup = CurationDedupConfig()
        selection = SelectionConfig()
        output = CurationOutputConfig()
    }

    public init(from decoder: Decoder) throws {
        let defaults = CurationConfig()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        seed = try container.decodeIfPresent(UInt64.self, forKey: .seed) ?? defaults.seed
        features = try container.decodeIfPresent(QualityFeatureConfig.self, forKey: .features) ?? defaults.features
        training = try container.decodeIfPresent(CurationTrainingConfig.self, forKey: .training) ?? defaults.training
        noise = try container.decodeIfPresent(NoiseLabelConfig.self, forKey: .noise) ?? defaults.noise
        information = try container.decodeIfPresent(InformationLabelConfig.self, forKey: .information) ?? defaults.information
        composite = try container.decodeIfPresent(CompositeScore.self, forKey: .composite) ?? defaults.composite
        filters = try container.decodeIfPresent([QualityFilter].self, forKey: .filters) ?? defaults.filters
        dedup = try container.decodeIfPresent(CurationDedupConfig.self, forKey: .dedup) ?? defaults.dedup
        selection = try container.decodeIfPresent(SelectionConfig.self, forKey: .selection) ?? defaults.selection
        output = try container.decodeIfPresent(CurationOutputConfig.self, forKey: .output) ?? defaults.output
    }

    /// Reads, decodes and validates a curation TOML file.
    public static func load(path: String) throws -> CurationConfig {
        let config = try ConfigLoader.decode(CurationConfig.self, tomlFile: path)
        try config.validate(file: path)
        return config
    }

    /// Checks the rules the schema cannot express; `file` names the configuration in errors.
    public func validate(file: String) throws {
        func fail(_ keyPath: String, _ message: String) -> FactoryError {
            .config(file: file, keyPath: keyPath, line: nil, message: message)
        }
        try features.validate { fail("features.\($0)", $1) }
        try training.validate { fail("training.\($0)", $1) }
        try noise.validate { fail("noise.\($0)", $1) }
        try information.validate { fail("information.\($0)", $1) }
        try composite.validate { fail("composite.\($0)", $1) }
        for (index, filter) in filters.enumerated() {
            try filter.validate { fail("filters[\(index)].\($0)", $1) }
        }
        try dedup.validate { fail("dedup.\($0)", $1) }
        try selection.validate { fail("selection.\($0)", $1) }
    }
}

/// `[training]`: how the logistic regressions are fitted.
public struct CurationTrainingConfig: Decodable, Sendable {
    /// The L2 strength on the weights.
    public var l2 = 1e-4
    /// L-BFGS iterations at most.
    public var maxIterations = 300
    /// The share of example groups held out to measure the AUC.
    public var heldOutFraction = 0.2

    enum CodingKeys: String, CodingKey {
        case l2
        case maxIterations = "max_iterations"
        case heldOutFraction = "held_out_fraction"
    }

    /// The defaults.
    public init() {}

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        l2 = try container.decodeIfPresent(Double.self, forKey: .l2) ?? l2
        maxIterations = try container.decodeIfPresent(Int.self, forKey: .maxIterations) ?? maxIterations
        heldOutFraction = try container.decodeIfPresent(Double.self, forKey: .heldOutFraction) ?? heldOutFraction
    }

    func validate(fail: (String, String) -> FactoryError) throws {
        guard l2 >= 0, l2.isFinite else { throw fail("l2", "must be a non-negative number, found \(l2)") }
        guard maxIterations >= 1 else { throw fail("max_iterations", "must be at least 1, found \(maxIterations)") }
        guard heldOutFraction > 0, heldOutFraction < 1 else {
            throw fail("held_out_fraction", "must be above 0 and below 1, found \(heldOutFraction)")
        }
    }
}

/// `[noise]`: the noise axis's labels: a labelled JSONL file, or (without one) clean documents
/// of the corpus as positives and corrupted copies of them as negatives (``NoiseCorruptor``).
public struct NoiseLabelConfig: Decodable, Sendable {
    /// A JSON Lines file of `{"text", "label"}` or `{"text", "score"}` (1 = clean); relative
    /// paths are relative to the working directory.
    public var labels: String?
    /// Sources whose documents count as clean for the bootstrap (default: every source).
    public var sources: [String]?
    /// Clean documents sampled per source for the bootstrap (each also yields one corrupted copy).
    var documentsPerSource = 300

    enum CodingKeys: String, CodingKey {
        case labels, sources
        case documentsPerSource = "documents_per_source"
    }

    /// The defaults.
    public init() {}

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        labels = try container.decodeIfPresent(String.self, forKey: .labels)
        sources = try container.decodeIfPresent([String].self, forKey: .sources)
        documentsPerSource = try container.decodeIfPresent(Int.self, forKey: .documentsPerSource) ?? documentsPerSource
    }

    func validate(fail: (String, String) -> FactoryError) throws {
        guard documentsPerSource >= 1 else { throw fail("documents_per_source", "must be at least 1, found \(documentsPerSource)") }
        if labels != nil, sources != nil { throw fail("sources", "is for the bootstrap; remove it or 'labels'") }
        if let sources, sources.isEmpty { throw fail("sources", "list at least one source (or remove the key for all)") }
    }
}

/// `[information]`: the information axis's labels: a labelled JSONL file, or a bootstrap by
/// source: documents of ``positiveSources`` (reference and educational text) are positives and
/// those of ``negativeSources`` (default: every other source) negatives.
public struct InformationLabelConfig: Decodable, Sendable {
    /// A JSON Lines file of `{"text", "label"}` or `{"text", "score"}` (1 = informative).
    public var labels: String?
    /// Sources labelled informative by the bootstrap.
    var positiveSources: [String]?
    /// Sources labelled uninformative by the bootstrap (default: all sources not positive).
    var negativeSources: [String]?
    /// Documents sampled per labelled source.
    var documentsPerSource = 300

    enum CodingKeys: String, CodingKey {
        case labels
        case positiveSources = "positive_sources"
        case negativeSources = "negative_sources"
        case documentsPerSource = "documents_per_source"
    }

    /// The defaults (no labels: one must be configured before training).
    public init() {}

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        labels = try container.decodeIfPresent(String.self, forKey: .labels)
        positiveSources = try container.decodeIfPresent([String].self, forKey: .positiveSources)
        negativeSources = try container.decodeIfPresent([String].self, forKey: .negativeSources)
        documentsPerSource = try container.decodeIfPresent(Int.self, forKey: .documentsPerSource) ?? documentsPerSource
    }

    func validate(fail: (String, String) -> FactoryError) throws {
        guard documentsPerSource >= 1 else { throw fail("documents_per_source", "must be at least 1, found \(documentsPerSource)") }
        if labels != nil {
            if positiveSources != nil { throw fail("positive_sources", "is for the bootstrap; remove it or 'labels'") }
            if negativeSources != nil { throw fail("negative_sources", "is for the bootstrap; remove it or 'labels'") }
            return
        }
        guard let positives = positiveSources, !positives.isEmpty else {
            throw fail("positive_sources", "missing: give 'labels' (a JSONL file) or the informative sources for the bootstrap")
        }
        if let negatives = negativeSources {
            guard !negatives.isEmpty else { throw fail("negative_sources", "list at least one source (or remove the key for all others)") }
            if let both = negatives.first(where: positives.contains) {
                throw fail("negative_sources", "'\(both)' is also a positive source")
            }
        }
    }
}

/// `[dedup]`: exact and MinHash LSH deduplication after the filters.
public struct CurationDedupConfig: Decodable, Sendable {
    /// Whether to deduplicate at all.
    var enabled = true
    /// LSH bands.
    public var bands = 14
    /// Hash functions per band.
    public var rows = 8
    /// Words per shingle.
    public var ngramSize = 5
    /// The seed of the MinHash functions.
    public var seed: UInt64 = 1
    /// Sources whose documents are not deduplicated at all (templated generators, whose
    /// instances differ only in numbers that MinHash's normalization erases).
    var skipSources: [String] = []

    enum CodingKeys: String, CodingKey {
        case enabled, bands, rows, seed
        case ngramSize = "ngram_size"
        case skipSources = "skip_sources"
    }

    /// The defaults (datatrove's 14 × 8 over word 5-grams).
    public init() {}

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled) ?? enabled
        bands = try container.decodeIfPresent(Int.self, forKey: .bands) ?? bands
        rows = try container.decodeIfPresent(Int.self, forKey: .rows) ?? rows
        ngramSize = try container.decodeIfPresent(Int.self, forKey: .ngramSize) ?? ngramSize
        seed = try container.decodeIfPresent(UInt64.self, forKey: .seed) ?? seed
        skipSources = try container.decodeIfPresent([String].self, forKey: .skipSources) ?? skipSources
    }

    /// The MinHash parameters.
    public func parameters() throws -> MinHashParameters {
        try MinHashParameters(bands: bands, rows: rows, ngramSize: ngramSize, seed: seed)
    }

    func validate(fail: (String, String) -> FactoryError) throws {
        if case (let field, let message)? = MinHashParameters.problem(bands: bands, rows: rows, ngramSize: ngramSize) {
            throw fail(field.rawValue, message)
        }
    }
}

/// `[output]`: what curated documents carry besides the quality scores.
public struct CurationOutputConfig: Decodable, Sendable {
    /// Whether every heuristic signal is written into the metadata (`signal_<name>`).
    var recordSignals = false

    enum CodingKeys: String, CodingKey {
        case recordSignals = "record_signals"
    }

    /// The defaults.
    public init() {}

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        recordSignals = try container.decodeIfPresent(Bool.self, forKey: .recordSignals) ?? recordSignals
    }
}
