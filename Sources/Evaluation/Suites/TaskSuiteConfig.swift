import FactoryCore

/// The settings of `factory eval tasks build` (a `tasks.toml`; every key optional):
///
/// ```toml
/// suites = ["math", "code", "stem", "common_sense"]   # which suites to build
/// documents = 200        # documents per task file at most
/// choices = 4            # choices per multiple-choice document (gold + distractors)
/// seed = 0               # selection, distractors and held-out generator streams
///
/// [sources.wordnet]      # where each suite's material is; also python_docs, manpages, maxima
/// path = "/usr/share/wordnet"
/// package = "wordnet-base"
/// license = "…"          # overrides what the package's copyright file says
/// ```
public struct TaskSuiteConfig: Decodable, Sendable, Equatable {
    /// Where one suite's material comes from.
    public struct Source: Decodable, Sendable, Equatable {
        /// A folder of the material.
        public var path: String
        /// The Debian package that installs it (its version and license are recorded).
        public var package: String?
        /// The license, when the package's copyright file does not say it in a detectable way.
        public var license: String?

        /// A source.
        public init(path: String, package: String?, license: String? = nil) {
            self.path = path
            self.package = package
            self.license = license
        }
    }

    /// The suites.
    public enum Suite: String, CaseIterable, Decodable, Sendable {
        /// Held-out synthetic arithmetic and word problems.
        case math
        /// Python documentation examples and function completion.
        case code
        /// Manual-page and Maxima descriptions.
        case stem
        /// WordNet glosses, hypernyms and antonyms.
        case commonSense = "common_sense"
    }

    /// The suites to build.
    public var suites: [Suite] = Suite.allCases
    /// Documents per task file at most.
    public var documents = 200
    /// Choices per multiple-choice document.
    public var choices = 4
    /// The seed of selection, distractors and the held-out generators.
    public var seed = 0
    /// The Python documentation (Debian `python3.11-doc`): its `_sources/**/*.rst.txt`.
    public var pythonDocs = Source(path: "/usr/share/doc/python3.11/html", package: "python3.11-doc")
    /// The manual pages: only the files the package installed. The default, `manpages-dev`
    /// (sections 2 and 3: system calls and library functions), is a package the default corpus does
    /// not read (it reads `manpages`), so the whole suite is held out.
    public var manpages = Source(path: "/usr/share/man", package: "manpages-dev")
    /// The Maxima manual (Debian `maxima-doc`): its `*.html`.
    public var maxima = Source(path: "/usr/share/doc/maxima-doc/html", package: "maxima-doc", license: "GPL-2")
    /// The WordNet database (Debian `wordnet-base`).
    public var wordnet = Source(path: "/usr/share/wordnet", package: "wordnet-base")

    /// The defaults.
    public init() {}

    private enum Keys: String, CodingKey {
        case suites, documents, choices, seed, sources
    }

    private enum SourceKeys: String, CodingKey {
        case pythonDocs = "python_docs"
        case manpages, maxima, wordnet
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        suites = try container.decodeIfPresent([Suite].self, forKey: .suites) ?? suites
        documents = try container.decodeIfPresent(Int.self, forKey: .documents) ?? documents
        choices = try container.decodeIfPresent(Int.self, forKey: .choices) ?? choices
        seed = try container.decodeIfPresent(Int.self, forKey: .seed) ?? seed
        if container.contains(.sources) {
            let sources = try container.nestedContainer(keyedBy: SourceKeys.self, forKey: .sources)
            pythonDocs = try sources.decodeIfPresent(Source.self, forKey: .pythonDocs) ?? pythonDocs
            manpages = try sources.decodeIfPresent(Source.self, forKey: .manpages) ?? manpages
            maxima = try sources.decodeIfPresent(Source.self, forKey: .maxima) ?? maxima
            wordnet = try sources.decodeIfPresent(Source.self, forKey: .wordnet) ?? wordnet
        }
    }

    /// Reads `path` strictly (unknown keys are errors) and checks the ranges.
    ///
    /// - Throws: ``FactoryError/config(file:keyPath:line:message:)`` naming the file and the key.
    public static func load(path: String) throws -> TaskSuiteConfig {
        let config = try ConfigLoader.decode(TaskSuiteConfig.self, tomlFile: path)
        try config.check(source: path)
        return config
    }

    /// Checks the ranges; `source` names the file in errors.
    public func check(source: String) throws {
        func fail(_ key: String, _ message: String) -> FactoryError {
            .config(file: source, keyPath: key, line: nil, message: message)
        }
        // The upper bounds: no material here yields more items, and the math suite has 12 nearby
        // wrong answers per problem (a larger count would draw distractors for ever elsewhere).
        if !(1...100_000).contains(documents) { throw fail("documents", "must be between 1 and 100000, got \(documents)") }
        if !(2...12).contains(choices) { throw fail("choices", "must be between 2 and 12, got \(choices)") }
        if seed < 0 { throw fail("seed", "must be at least 0, got \(seed)") }
        if suites.isEmpty { throw fail("suites", "names no suite; choose from \(Suite.allCases.map(\.rawValue).joined(separator: ", "))") }
        if Set(suites).count != suites.count { throw fail("suites", "names a suite twice") }
    }
}
