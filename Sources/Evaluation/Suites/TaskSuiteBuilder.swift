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
    /// Where the sandbox's tools are looked up (`bwrap`, `python3`); `nil` for `PATH`.
    public let sandboxSearchPath: String?

    /// Prepares a build.
    public init(config: TaskSuiteConfig, configFile: String?, exclusion: TrainingExclusion, sandboxSearchPath: String? = nil) {
        self.config = config
        self.configFile = configFile
        self.exclusion = exclusion
        self.sandboxSearchPath = sandboxSearchPath
    }

    /// Builds every configured suite into `output` and returns the manifest.
    ///
    /// The code suite's Python output tasks keep only examples whose documented output the
    /// bubblewrap sandbox reproduces (``PythonOutputCheck``); without a working sandbox the build
    /// refuses rather than keep unchecked golds. A task that got no documents is listed in the
    /// manifest without a file (the task-file reader refuses an empty task). Every file written is
    /// read back through
    /// ``TaskFolder/read(folder:)`` and must equal what was built.
    ///
    /// - Throws: ``FactoryError/config(file:keyPath:line:message:)`` naming `sources.KEY.path`
    ///   for a missing material folder, `FactoryError.missingDependency` naming the bubblewrap
    ///   sandbox when the code suite is asked for and the sandbox cannot run (nothing is written
    ///   then), read errors naming the file.
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
        let check = config.suites.contains(.code) ? try PythonOutputCheck.locate(searchPath: sandboxSearchPath) : nil
        let sampling = SuiteSampling(seed: config.seed)
        var outputCheck: TaskSuiteManifest.OutputCheck?
        var built = [BuiltTask]()
        var materials = [TaskSuiteManifest.Material]()
        for suite in config.suites {
            switch suite {
            case .math:
                built += MathSuite(config: config, sampling: sampling, exclusion: exclusion).build()
            case .code:
                guard let check else { preconditionFailure("the sandbox is located whenever the code suite is built") }
                let examples = try PythonExamplesSuite(config: config, sampling: sampling, exclusion: exclusion).build(check: check)
                built += examples.tasks
                materials.append(examples.material)
                outputCheck = examples.check
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
            materials: materials, tasks: [], pythonOutputCheck: outputCheck)
        try AtomicDirectory.replace(output, name: "task folder", requireReplaceable: Self.requireTaskFolder) { staging in
            for entry in built {
                let path = staging + "/" + entry.fileName
                let written = entry.task.documents.count > 0
                if written { try entry.task.write(to: path) }
                let header = entry.task.header
                manifest.tasks.append(
                    TaskSuiteManifest.Task(
                        name: header.name, file: written ? entry.fileName : nil, kind: header.kind.rawValue,
                        capability: header.capability.rawValue, metric: header.metric, chance: header.chance,
                        documents: entry.task.documents.count, candidates: entry.candidates, excludedAsTraining: entry.excludedAsTraining,
                        license: header.license, source: header.source, digest: written ? try Digest.ofFile(atPath: path).hex : nil))
            }
            try Self.requireReadBack(staging, built: built.map(\.task).filter { $0.documents.count > 0 })
            try JSONArtifact.write(manifest, toPath: staging + "/" + TaskSuiteManifest.fileName)
        }
        return manifest
    }

    /// Reads the written folder back through the task-file reader and checks it holds exactly
    /// the built tasks, so a folder the evaluator would refuse (or read differently) is never
    /// published.
    static func requireReadBack(_ folder: String, built: [TaskFile]) throws {
        guard !built.isEmpty else { return }
        let read = try TaskFolder.read(folder: folder)
        let byName = Dictionary(uniqueKeysWithValues: read.map { ($0.header.name, $0) })
        for task in built where byName[task.header.name] != task {
            throw FactoryError.corrupt(
                path: folder + "/" + task.header.name + ".jsonl", reason: "the written task file does not read back as the task that was built")
        }
        guard read.count == built.count else {
            throw FactoryError.corrupt(path: folder, reason: "holds \(read.count) task files, \(built.count) were built")
        }
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
