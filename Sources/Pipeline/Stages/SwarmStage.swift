import FactoryCore
import Mixing

/// `kind = "swarm"`: the AutoMixer's swarm (``AutoMixer/runSwarm()``, what `factory mix auto
/// --swarm-only` does) in this process: sample mixtures around the prior and train one proxy per
/// mixture on the stage's shards and tokenizer, each proxy a `factory train` process.
///
/// Settings: the `[swarm]` and `[sweep]` tables of mix.toml (`holdout` belongs to the `mix`
/// stage) and `[proxy]`, the proxy run (a run.toml without data paths and `train.output`). The
/// stage folder holds `proxy.toml`, `mix.toml` and `swarm/` (a run per mixture, `mixtures.csv`,
/// `metrics.csv`); an interrupted sweep resumes with the runs that had not finished.
struct SwarmStage: StageKind {
    /// The sweep folder inside the stage folder.
    static let sweepFolder = "swarm"
    /// The mix config the stage writes, which a `mix` stage extends.
    static let configFile = "mix.toml"

    let name = "swarm"
    let inputRoles = StageInputRoles(required: ["shards", "tokenizer"])

    func validate(settings: [String: ConfigValue], source: String, keyPrefix: String) throws {
        let stage = StageSettingsLocation(file: source, keyPrefix: keyPrefix)
        for key in settings.keys.sorted() where !["swarm", "sweep", "proxy"].contains(key) {
            throw stage.error(key, "unknown key (known: kind, inputs, swarm, sweep, proxy)")
        }
        if case .table(let sweep)? = settings["sweep"], sweep["holdout"] != nil {
            throw stage.error("sweep.holdout", "belongs to the mix stage that fits the surrogate")
        }
        try RunFileComposer(settings: settings, key: "proxy", stage: stage).validate(mixtureFromInput: true)
        try stage.qualifyingKeys {
            let config = try ConfigLoader.decode(
                AutoMixerConfig.self, from: mixConfig(settings, base: "proxy.toml", directory: "."), source: source)
            try config.validate(source: source)
        }
    }

    func execute(_ context: StageContext) throws {
        let source = "[stages.\(context.stage.name)]"
        let proxy = try RunFileComposer(settings: context.stage.settings, key: "proxy", stage: context.stage.location)
        let base = try proxy.write(
            toPath: context.output + "/proxy.toml", shards: context.input("shards"),
            tokenizer: context.input("tokenizer") + "/tokenizer.json", mixture: nil, output: context.output + "/proxy")
        let text = try mixConfig(context.stage.settings, base: base, directory: context.output).tomlText()
        try context.writeOutput(Self.configFile, "# Written by `factory run` from \(source).\n" + text)
        let configFile = context.output + "/" + Self.configFile
        let mixer = AutoMixer(config: try AutoMixerConfig.load(path: configFile), factory: context.factory, store: context.store)
        let results = try mixer.runSwarm()
        context.log.note("swarm: \(results.metrics.rows.count) proxy runs -> \(results.source)")
    }

    /// The stage's settings as a mix.toml with `base` and `directory` filled in (the target is
    /// the `mix` stage's; a placeholder here).
    private func mixConfig(_ settings: [String: ConfigValue], base: String, directory: String) -> ConfigValue {
        var table = settings
        table.removeValue(forKey: "proxy")
        table["base"] = .string(base)
        table["directory"] = .string(directory)
        table["target"] = .string("eval/loss")
        return .table(table)
    }
}
