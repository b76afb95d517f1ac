import FactoryCore
import Foundation

/// Builds the capability suites (`factory eval tasks build`): task files in the task-file format
/// and a `manifest.json` with their provenance, written into a folder that is replaced whole
/// (``AtomicDirectory``). The same configuration, material and corpus give byte-identical files.
public struct TaskSuiteBuilder: Sendable {
    /// What to build.
    public let config: TaskSuiteConfig
    /// The file the configuration came from (named in errors and the manifest); `nil` for the
    /// defaults.
    public let configFile: String?
    /// The corpus whose training split the suites avoid, or ``TrainingExclusion/none``.
    public let exclusion: TrainingExclusion

    /// Prepares a build.
    public init(config: TaskSuiteConfig, configFile: String?, exclusion: TrainingExclusion) {
        self.config = config
        self.configFile = configFile
        self.exclusion = exclusion
    }

    /// Builds every configured suite into `output` and returns the manifest.
    ///
    /// - Throws: ``FactoryError/config(file:keyPath:line:message:)`` naming `sources.KEY.path`
    ///   for a missing material folder (nothing is written then), read errors naming the file.
    @discardableResult
    public func build(output: String) throws -> TaskSuiteManifest {
        try config.check(source: configFile ?? "tasks.toml (defaults)")
        let sources: [(TaskSuiteConfig.Suite, TaskSuiteConfig.Source, String)] = [
            (.code, config.pythonDocs, "python_docs"), (.stem, config.manpages, "manpages"), (.stem, config.maxima, "maxima"),
            (.commonSense, config.wordnet, "wordnet"),
        ]
        for (suite, source, key) in sources where config.suites.contains(suite) {
            try SuiteMaterial.requireFolder(source, key: key, configFile: configFile ?? "tasks.toml (defaults)")
        }
        let sampling = SuiteSampling(seed: config.seed)
        var built = [BuiltTask]()
        var materials = [TaskSuiteManifest.Material]()
        for suite in config.suites {
            switch suite {
            case .math:
                built += MathSuite(config: config, sampling: sampling, exclusion: exclusion).build()
            case .code:
                let examples = try PythonExamplesSuite(config: config, sampling: sampling, exclusion: exclusion).build()
                built += examples.tasks
                materials.append(examples.material)
                built.append(FunctionCompletionSuite(config: config).build())
            case .stem:
                let manpages = try ManPageSuite(config: config, sampling: sampling, exclusion: exclusion).build()
                let maxima = try MaximaSuite(config: config, sampling: sampling, exclusion: exclusion).build()
                built += [manpages.task, maxima.task]
                materials += [manpages.material, maxima.material]
            case .commonSense:
                let wordnet = try WordNetSuite(config: config, sampling: sampling, exclusion: exclusion).build()
                built += wordnet.tasks
                materials.append(wordnet.material)
            }
        }
        var manifest = TaskSuiteManifest(
            factoryVersion: FactoryVersion.current, config: configFile,
            configDigest: try configFile.map { try Digest.ofFile(atPath: $0).hex }, seed: config.seed, documentsPerTask: config.documents,
            choices: config.choices,
            corpus: exclusion.corpus.map { corpus in
                TaskSuiteManifest.Corpus(
                    path: corpus, trainingDocuments: exclusion.documents, trainingFiles: exclusion.paths.count,
                    trainingSynsets: exclusion.synsets.count, trainingMathStatements: exclusion.mathStatements.count)
            },
            note: exclusion.corpus == nil
                ? "built from raw material without a corpus: items are not checked against any corpus's training split (the generated suites use held-out streams)"
                : "items whose material is in the corpus's training split are excluded",
            materials: materials, tasks: [])
        try AtomicDirectory.replace(output, name: "task folder", requireReplaceable: Self.requireTaskFolder) { staging in
            for entry in built {
                let digest = try entry.task.write(into: staging)
                let header = entry.task.header
                manifest.tasks.append(
                    TaskSuiteManifest.Task(
                        name: header.name, file: entry.task.fileName, kind: header.kind, capability: header.capability, metric: header.metric,
                        chance: header.chance, documents: entry.task.documents.count, candidates: entry.candidates,
                        excludedAsTraining: entry.excludedAsTraining, license: header.license, source: header.source, digest: digest.hex))
            }
            try JSONArtifact.write(manifest, toPath: staging + "/" + TaskSuiteManifest.fileName)
        }
        return manifest
    }

    /// Refuses to replace a non-empty folder that is not a task folder (no `manifest.json` with
    /// task files), so `--out` pointed at the wrong folder deletes nothing.
    static func requireTaskFolder(_ folder: String) throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        guard names.contains(TaskSuiteManifest.fileName), names.allSatisfy({ $0.hasSuffix(".jsonl") || $0.hasSuffix(".json") }) else {
            throw FactoryError.invalidArgument(
                name: "--out", message: "\(folder) is not empty and not a task folder (no manifest.json); choose an empty or new folder")
        }
    }
}
