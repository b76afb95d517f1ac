/// The `manifest.json` of a task folder: how it was built and from what.
public struct TaskSuiteManifest: Codable, Equatable, Sendable {
    /// The corpus whose training split was avoided.
    public struct Corpus: Codable, Equatable, Sendable {
        public var path: String
        public var trainingDocuments: Int
        /// Files with a training document (their items are excluded).
        public var trainingFiles: Int
        public var trainingSynsets: Int
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
        public var name: String
        public var package: String?
        public var version: String?
        public var license: String
        public var path: String
        public var files: Int
        public var digest: String
    }

    /// One task file.
    public struct Task: Codable, Equatable, Sendable {
        public var name: String
        public var file: String
        public var kind: String
        public var capability: String
        public var metric: String
        public var chance: Double
        public var documents: Int
        /// Items the material offered (generated indices tried, for the generators).
        public var candidates: Int
        public var excludedAsTraining: Int
        public var license: String
        public var source: String
        /// SHA-256 of the file.
        public var digest: String

        enum CodingKeys: String, CodingKey {
            case name, file, kind, capability, metric, chance, documents, candidates, license, source, digest
            case excludedAsTraining = "excluded_as_training"
        }
    }

    /// The file name in a task folder.
    public static let fileName = "manifest.json"

    public var factoryVersion: String
    public var config: String?
    public var configDigest: String?
    public var seed: Int
    public var documentsPerTask: Int
    public var choices: Int
    public var corpus: Corpus?
    public var note: String
    public var materials: [Material]
    public var tasks: [Task]

    enum CodingKeys: String, CodingKey {
        case config, seed, choices, corpus, note, materials, tasks
        case factoryVersion = "factory_version"
        case configDigest = "config_digest"
        case documentsPerTask = "documents_per_task"
    }
}
