import Evaluation
import FactoryCore
import Tokenization

/// `kind = "tasks"`: the capability suites (`factory eval tasks build`) built from local
/// material while leaving out what the corpus (input `corpus`) trains on, into `tasks/` of the
/// stage folder; with inputs `shards` and `tokenizer` also the contamination check of those
/// tasks against the training shards (`shards/train`), into `contamination.json`.
///
/// Settings: `config` (a tasks.toml, optional; its content is part of the identity) and `ngram`
/// (a fixed n for the check; default GPT-3's per-file rule).
struct TasksStage: DecodedSettingsStageKind {
    struct Settings: Decodable {
        var config: String?
        var ngram: Int?
    }

    /// The task folder inside the stage folder, which `swarm` and `eval` stages read.
    static let taskFolder = "tasks"
    /// The contamination check's report inside the stage folder (with `shards` and `tokenizer`).
    static let contaminationFile = "contamination.json"

    let name = "tasks"
    let inputRoles = StageInputRoles(required: ["corpus"], optional: ["shards", "tokenizer"])

    func check(_ settings: Settings, at location: StageSettingsLocation) throws {
        try requireAtLeast(1, [("ngram", settings.ngram)], at: location)
    }

    func referencedFiles(settings: [String: ConfigValue]) -> [String] {
        (try? decode(settings, at: StageSettingsLocation(file: "", keyPrefix: "")))?.config.map { [$0] } ?? []
    }

    func execute(_ context: StageContext) throws {
        let settings = try context.settings(for: self)
        let config = try settings.config.map { try TaskSuiteConfig.load(path: $0) } ?? TaskSuiteConfig()
        let exclusion = try TrainingExclusion.reading(corpus: context.input("corpus"))
        let folder = context.output + "/" + Self.taskFolder
        let manifest = try TaskSuiteBuilder(config: config, configFile: settings.config, exclusion: exclusion).build(output: folder)
        for task in manifest.tasks {
            context.log.note("tasks \(task.name): \(task.documents) documents (\(task.excludedAsTraining) left out as training material)")
        }
        switch (context.inputs["shards"], context.inputs["tokenizer"]) {
        case (nil, nil):
            return
        case (let shards?, let tokenizer?):
            let path = tokenizer + "/tokenizer.json"
            let report = try ContaminationCheck(ngram: settings.ngram).run(
                tasks: folder, shards: shards + "/train", tokenizer: try Tokenizer.load(path: path), tokenizerPath: path)
            try JSONArtifact.write(report, toPath: context.output + "/" + Self.contaminationFile)
            for task in report.taskFiles {
                context.log.note(
                    "contamination \(task.name): n=\(task.ngram), \(task.documentsWithOverlap) of \(task.documents.count) documents overlap, mean \(task.meanOverlap)"
                )
            }
        default:
            throw context.stage.location.error("inputs", "the contamination check needs both `shards` and `tokenizer` wired, or neither")
        }
    }
}
