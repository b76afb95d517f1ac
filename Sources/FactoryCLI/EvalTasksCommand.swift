import ArgumentParser
import Evaluation
import FactoryCore
import Foundation
import Tokenization

/// `factory eval tasks`: the capability suites' task files.
struct EvalTasksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks", abstract: "Build the capability task files from local material, and check them for contamination.",
        subcommands: [EvalTasksBuildCommand.self, EvalTasksCheckCommand.self])
}

/// `factory eval tasks build --out DIR [--corpus CORPUS] [--config tasks.toml]`.
struct EvalTasksBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Write the math, code, STEM and common-sense task files and manifest.json into a folder (replaced whole).")

    @Option(help: "The task folder to write (created, or replaced when it is a task folder).")
    var out: String

    @Option(help: "A `factory corpus build` folder: material in its training split is left out of the tasks.")
    var corpus: String?

    @Option(help: "A tasks.toml (suites, documents per task, choices, seed, material paths); default: the built-in settings.")
    var config: String?

    func run() throws {
        let settings = try config.map { try TaskSuiteConfig.load(path: $0) } ?? TaskSuiteConfig()
        let exclusion = try corpus.map { try TrainingExclusion.reading(corpus: $0) } ?? .none
        let manifest = try TaskSuiteBuilder(config: settings, configFile: config, exclusion: exclusion).build(output: out)
        if corpus == nil {
            FileHandle.standardError.write(Data("note: no --corpus: \(manifest.note)\n".utf8))
        }
        print("task\tcapability\tkind\tmetric\tdocuments\tchance\texcluded_as_training")
        for task in manifest.tasks {
            print(
                "\(task.name)\t\(task.capability)\t\(task.kind)\t\(task.metric)\t\(task.documents)\t\(String(format: "%.3f", task.chance))\t\(task.excludedAsTraining)"
            )
        }
        if let check = manifest.pythonOutputCheck {
            print(
                "python outputs checked in the sandbox: \(check.tried) tried, \(check.kept) kept, \(check.wrongOutput) printed something else, \(check.failed) failed or were stopped"
            )
        }
        print("-> \(out)")
    }
}

/// `factory eval tasks check --tasks DIR --shards TRAIN_SHARDS --tokenizer tokenizer.json`.
struct EvalTasksCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Contamination check: the n-gram overlap of every task document with the training shards.")

    @Option(help: "A task folder (`factory eval tasks build` output).")
    var tasks: String

    @Option(help: "The training shard folder (`factory shards build` output).")
    var shards: String

    @Option(help: "The tokenizer.json the shards were encoded with.")
    var tokenizer: String

    @Option(help: "A fixed n-gram length for every task file (default: per file, GPT-3's rule).")
    var ngram: Int?

    @Option(help: "Also write the full report (every document's overlap) as JSON here.")
    var output: String?

    func run() throws {
        try FileKind.requireRegularFile(tokenizer, name: "--tokenizer")
        let result = try ContaminationCheck(ngram: ngram).run(
            tasks: tasks, shards: shards, tokenizer: try Tokenizer.load(path: tokenizer), tokenizerPath: tokenizer)
        if let output { try JSONArtifact.write(result, toPath: output) }
        print("training: \(result.trainingDocuments) documents, \(result.trainingTokens) tokens; n: \(result.rule)")
        print("task\tn\tdocuments\twith_overlap\ttoo_short\tmean_overlap\tmax_overlap")
        for task in result.taskFiles {
            print(
                "\(task.name)\t\(task.ngram)\t\(task.documents.count)\t\(task.documentsWithOverlap)\t\(task.documentsTooShort)\t\(String(format: "%.4f", task.meanOverlap))\t\(String(format: "%.4f", task.maxOverlap))"
            )
        }
    }
}
