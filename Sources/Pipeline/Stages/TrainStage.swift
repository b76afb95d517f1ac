import Execution
import FactoryCore
import Mixing

/// `kind = "train"`: `factory train` as a process of its own (``TrainInvocation``: isolation, and
/// resumption from its checkpoints) on the stage's shards (input `shards`) and tokenizer (input
/// `tokenizer`), on the mixture a `mix` stage proposed (optional input `mixture`), with the run
/// described by the inline `[stages.NAME.run]` table (a run.toml without data paths and
/// `train.output`). The run lands in `run/` of the stage folder (checkpoints, `final/`,
/// `final_metrics.json`); an interrupted or failed attempt resumes from its newest checkpoint.
struct TrainStage: StageKind {
    let name = "train"
    let inputRoles = StageInputRoles(required: ["shards", "tokenizer"], optional: ["mixture"])

    func validate(settings: [String: ConfigValue], source: String, keyPrefix: String) throws {
        let stage = StageSettingsLocation(file: source, keyPrefix: keyPrefix)
        for key in settings.keys.sorted() where key != "run" {
            throw stage.error(key, "unknown key (known: kind, inputs, run)")
        }
        try RunFileComposer(settings: settings, key: "run", stage: stage).validate(mixtureFromInput: false)
    }

    func execute(_ context: StageContext) throws {
        let composer = try RunFileComposer(settings: context.stage.settings, key: "run", stage: context.stage.location)
        let mixture = try context.inputs["mixture"].map { try Mixture.load(tomlFile: $0 + "/" + MixStage.proposalFile).dictionary }
        let runFile = try composer.write(
            toPath: context.output + "/run.toml", shards: context.input("shards"),
            tokenizer: context.input("tokenizer") + "/tokenizer.json", mixture: mixture, output: context.output + "/run")
        try context.runTraining(TrainInvocation(config: runFile, resume: true))
    }
}
