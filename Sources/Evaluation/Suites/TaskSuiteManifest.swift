/// The `manifest.json` of a task folder: how it was built and from what.
public struct TaskSuiteManifest: Codable, Equatable, Sendable {
    /// The corpus whose training split was avoided.
    public struct Corpus: Codable, Equatable, Sendable {
        /// The corpus folder.
        public var path: String
        /// Documents of its `DOMAIN/train.jsonl` files.
        public var trainingDocuments: Int
        /// Files with a training document (their items are excluded).
        public var trainingFiles: Int
        /// WordNet synsets among the training documents.
        public var trainingSynsets: Int
        /// Distinct synthetic math statements among the training documents.
        public var trainingMathStatements: Int

        enum CodingKeys: String, CodingKey {
            case path
            case trainingDocuments = "training_documents"
            case trainingFiles = "training_files"
            case trainingSynsets = "training_synsets"
            case trainingMathStatements = "training_math_statements"
        }
    }

    /// A suite's material source.
    public struct Material: Codable, Equatable, Sendable {
        /// `python-docs`, `manpages`, `maxima`, `wordnet`.
        public var name: String
        /// The Debian package, if the configuration names one.
        public var package: String?
        /// Its installed version (dpkg's status file).
        public var version: String?
        /// The configured license, else the package's copyright file's.
        public var license: String
        /// The material folder.
        public var path: String
        /// Files read.
        public var files: Int
        /// SHA-256 over the lines `relative-path TAB sha256-of-file`, in name order.
        public var digest: String
    }

    /// One task file.
    public struct Task: Codable, Equatable, Sendable {
        /// The header's name.
        public var name: String
        /// The file in the task folder; `nil` when the task got no documents (no file is written
        /// then: a task file without documents is not a valid one).
        public var file: String?
        /// `multiple_choice`, `exact_match` or `code`.
        public var kind: String
        /// `math`, `code`, `stem` or `common_sense`.
        public var capability: String
        /// The primary metric.
        public var metric: String
        /// A uniform guesser's score on the metric.
        public var chance: Double
        /// Documents written.
        public var documents: Int
        /// Items the material offered (generated indices tried, for the generators).
        public var candidates: Int
        /// Items left out because their material is in the corpus's training split.
        public var excludedAsTraining: Int
        /// The header's license.
        public var license: String
        /// The header's source.
        public var source: String
        /// SHA-256 of the file; `nil` when none was written.
        public var digest: String?

        enum CodingKeys: String, CodingKey {
            case name, file, kind, capability, metric, chance, documents, candidates, license, source, digest
            case excludedAsTraining = "excluded_as_training"
        }
    }

    /// How the Python examples' documented outputs were checked in the sandbox.
    public struct OutputCheck: Codable, Equatable, Sendable {
        /// The bubblewrap version.
        public var bubblewrap: String
        /// The Python version that ran the examples.
        public var python: String
        /// The CPU-time limit of one run.
        public var cpuSeconds: Int
        /// The wall-clock limit of one run.
        public var wallSeconds: Double
        /// Examples run, in the suite's order, until both tasks were full or none were left.
        public var tried: Int
        /// Examples that printed their documented output (the documents of both tasks).
        public var kept: Int
        /// Examples rejected for printing something else.
        public var wrongOutput: Int
        /// Examples rejected because their last statement raised or the run was stopped.
        public var failed: Int

        enum CodingKeys: String, CodingKey {
            case bubblewrap, python, tried, kept, failed
            case cpuSeconds = "cpu_seconds"
            case wallSeconds = "wall_seconds"
            case wrongOutput = "wrong_output"
        }
    }

    /// The file name in a task folder.
    public static let fileName = "manifest.json"

    /// The `factory` version that built the folder.
    public var factoryVersion: String
    /// The tasks.toml, or `nil` for the defaults.
    public var config: String?
    /// SHA-256 of the tasks.toml.
    public var configDigest: String?
    /// The configuration's seed.
    public var seed: Int
    /// The configured documents per task file (at most).
    public var documentsPerTask: Int
    /// The configured choices per multiple-choice document.
    public var choices: Int
    /// The corpus whose training split was left out, or `nil` (raw material).
    public var corpus: Corpus?
    /// What the exclusion means for this folder.
    public var note: String
    /// The material sources read.
    public var materials: [Material]
    /// The task files, in the order they were built.
    public var tasks: [Task]
    /// The sandbox check of the Python examples' outputs; `nil` when the code suite was not built.
    public var pythonOutputCheck: OutputCheck?

    enum CodingKeys: String, CodingKey {
        case config, seed, choices, corpus, note, materials, tasks
        case factoryVersion = "factory_version"
        case configDigest = "config_digest"
        case documentsPerTask = "documents_per_task"
        case pythonOutputCheck = "python_output_check"
    }
}
