import FactoryCore
import Mixing

/// `kind = "swarm"`: the AutoMixer's swarm (``AutoMixer/runSwarm()``, what `factory mix auto
/// --swarm-only` does) in this process: sample mixtures around the prior and train one proxy per
/// mixture on the stage's shards and tokenizer, each proxy a `factory train` process and, with a
/// `tasks` input, each then scored on its capability suites by a `factory eval --suites
/// capabilities` process.
///
/// Settings: the `[swarm]` and `[sweep]` tables of mix.toml (`holdout` belongs to the `mix`
/// stage), `[capabilities]` (`max_documents`; the task folder is the `tasks` input's),
/// `[signal]` (the signal-to-noise measurement: `mixtures`, `seeds`, `min_snr`) and `[proxy]`,
/// the proxy run (a run.toml without data paths and `train.output`). The stage folder holds
/// `proxy.toml`, `mix.toml`, `swarm/` (a run per mixture, `mixtures.csv`, `metrics.csv`) and,
/// with `[signal]`, `signal/` (the extra seeds) and `signal.csv`; an interrupted sweep resumes
/// with the runs that had not finished.
struct SwarmStage: StageKind {
    /// The sweep folder inside the stage folder.
    static let sweepFolder = "swarm"
    /// The mix config the stage writes, which a `mix` stage extends.
    static let configFile = "mix.toml"

    let name = "swarm"
    let inputRoles = StageInputRoles(required: ["shards", "tokenizer"], optional: ["tasks"])

    static let knownKeys = ["swarm", "sweep", "proxy", "capabilities", "signal"]

    func validate(settings: [String: ConfigValue], source: String, keyPrefix: String) throws {
        let stage = StageSettingsLocation(file: source, keyPrefix: keyPrefix)
        for key in settings.keys.sorted() where !Self.knownKeys.contains(key) {
            throw stage.error(key, "unknown key (known: kind, inputs, \(Self.knownKeys.joined(separator: ", ")))")
        }
        if case .table(let sweep)? = settings["sweep"], sweep["holdout"] != nil {
            throw stage.error("sweep.holdout", "belongs to the mix stage that fits the surrogate")
        }
        if case .table(let capabilities)? = settings["capabilities"], capabilities["tasks"] != nil {
            throw stage.error("capabilities.tasks", "is the `tasks` input's folder; wire inputs = { tasks = \"STAGE\" }")
        }
        try RunFileComposer(settings: settings, key: "proxy", stage: stage).validate(mixtureFromInput: true)
        try stage.qualifyingKeys {
            let config = try ConfigLoader.decode(
                AutoMixerConfig.self, from: mixConfig(settings, base: "proxy.toml", directory: ".", tasks: "tasks"), source: source)
            try config.validate(source: source)
        }
    }

    func execute(_ context: StageContext) throws {
        let source = "[stages.\(context.stage.name)]"
        if context.stage.settings["capabilities"] != nil, context.inputs["tasks"] == nil {
            throw context.stage.location.error("capabilities", "scores the proxies on a `tasks` input's suites; wire inputs = { tasks = \"STAGE\" }")
        }
        let proxy = try RunFileComposer(settings: context.stage.settings, key: "proxy", stage: context.stage.location)
        let base = try proxy.write(
            toPath: context.output + "/proxy.toml", shards: context.input("shards"),
            tokenizer: context.input("tokenizer") + "/tokenizer.json", mixture: nil, output: context.output + "/proxy")
        let tasks = context.inputs["tasks"].map { $0 + "/" + TasksStage.taskFolder }
        let text = try mixConfig(context.stage.settings, base: base, directory: context.output, tasks: tasks).tomlText()
        try context.writeOutput(Self.configFile, "# Written by `factory run` from \(source).\n" + text)
        let configFile = context.output + "/" + Self.configFile
        let mixer = AutoMixer(config: try AutoMixerConfig.load(path: configFile), factory: context.factory, store: context.store)
        let results = try mixer.runSwarm()
        context.log.note("swarm: \(results.metrics.rows.count) proxy runs -> \(results.source)")
        if let signal = results.signal { context.log.note(signal.renderText().trimmingCharacters(in: .newlines)) }
    }

    /// The stage's settings as a mix.toml with `base`, `directory` and the capabilities' task
    /// folder filled in (the targets are the `mix` stage's).
    private func mixConfig(_ settings: [String: ConfigValue], base: String, directory: String, tasks: String?) -> ConfigValue {
        var table = settings
        table.removeValue(forKey: "proxy")
        table.removeValue(forKey: "capabilities")
        table["base"] = .string(base)
        table["directory"] = .string(directory)
        if let tasks {
            var capabilities = [String: ConfigValue]()
            if case .table(let entries)? = settings["capabilities"] { capabilities = entries }
            capabilities["tasks"] = .string(tasks)
            table["capabilities"] = .table(capabilities)
        }
        return .table(table)
    }
}
