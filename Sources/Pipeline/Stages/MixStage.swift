import FactoryCore
import Foundation
import Mixing

/// `kind = "mix"`: the AutoMixer loop (`factory mix auto`: sample a swarm, train a proxy per
/// mixture, fit the surrogate, propose a mixture, check it) on the stage's shards and tokenizer.
///
/// Settings: `target` (the metric to minimize, default `eval/loss`), the `[swarm]`, `[sweep]` and
/// `[propose]` tables of mix.toml, and `[proxy]`, the proxy run (a run.toml without data paths and
/// `train.output`). The stage folder holds `proposed.toml`, `prior.toml`, `surrogate.json`,
/// `summary.json`, `holdout.csv` and the `swarm/` and `check/` sweeps; an interrupted sweep
/// resumes with the runs that had not finished.
struct MixStage: StageKind {
    /// The proposed mixture's file in the stage folder.
    static let proposalFile = "proposed.toml"

    let name = "mix"
    let inputRoles = StageInputRoles(required: ["shards", "tokenizer"])

    func validate(settings: [String: ConfigValue], source: String, keyPrefix: String) throws {
        let stageSource = "\(source) [\(keyPrefix)]"
        let proxy = RunFileComposer(run: try RunFileComposer.inlineTable(settings, key: "proxy", source: stageSource), source: "\(stageSource) proxy")
        try proxy.validate(mixtureFromInput: true)
        _ = try ConfigLoader.decode(AutoMixerConfig.self, from: mixConfig(settings, base: "proxy.toml", directory: "."), source: stageSource)
    }

    func execute(_ context: StageContext) throws {
        let source = "[stages.\(context.stage.name)]"
        let proxy = RunFileComposer(run: try RunFileComposer.inlineTable(context.stage.settings, key: "proxy", source: source), source: source + " proxy")
        let base = try proxy.write(
            toPath: context.output + "/proxy.toml", shards: context.input("shards"),
            tokenizer: context.input("tokenizer") + "/tokenizer.json", mixture: nil, output: context.output + "/proxy")
        let text = try mixConfig(context.stage.settings, base: base, directory: context.output).tomlText()
        try context.writeOutput("mix.toml", "# Written by `factory run` from \(source).\n" + text)
        try context.runFactory(["mix", "auto", "--config", context.output + "/mix.toml"])
    }

    /// The stage's settings as a mix.toml with `base` and `directory` filled in.
    private func mixConfig(_ settings: [String: ConfigValue], base: String, directory: String) -> ConfigValue {
        var table = settings
        table.removeValue(forKey: "proxy")
        table["base"] = .string(base)
        table["directory"] = .string(directory)
        if table["target"] == nil { table["target"] = .string("eval/loss") }
        return .table(table)
    }
}
