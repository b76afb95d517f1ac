import FactoryCore
import Foundation
import Mixing

/// `kind = "mix"`: fit the surrogate to a `swarm` stage's proxy runs (input `swarm`), propose a
/// mixture and check it (``AutoMixer/propose(from:)``, what `factory mix auto --swarm` does) in
/// this process, the check runs as `factory train` processes: the swarm is only read, so changing
/// these settings re-runs the fit and the check runs, never the swarm.
///
/// Settings: `target` (one metric) or `[targets]` (metrics with weights, goals and floor margins,
/// as in mix.toml; neither: the capabilities the swarm's signal measurement found usable, else
/// `eval/loss`), `holdout` (the share of the swarm held out to measure the surrogate, default
/// 0.25) and the `[propose]` table of mix.toml. The check runs are scored on the swarm's
/// capability suites too. The stage folder holds `proposed.toml`, `prior.toml`, `surrogate.json`
/// (the first target's), `surrogates.json`, `predictions.csv`, `targets.csv` (predicted and
/// measured per metric), `mix.toml` and the `check/` runs.
struct MixStage: DecodedSettingsStageKind {
    struct Settings: Decodable {
        var target: String?
        var targets: [String: MixTarget]?
        var holdout: Double?
        var propose: AutoMixerConfig.Propose?
    }

    /// The proposed mixture's file in the stage folder.
    static let proposalFile = "proposed.toml"

    let name = "mix"
    let inputRoles = StageInputRoles(required: ["swarm"])

    func check(_ settings: Settings, at location: StageSettingsLocation) throws {
        if let holdout = settings.holdout, !AutoMixerConfig.Sweep.holdoutRange.contains(holdout) {
            throw location.error("holdout", "must be in [0, 0.9), got \(holdout)")
        }
        try settings.propose?.validate { location.error("propose.\($0)", $1) }
        if settings.target != nil, settings.targets != nil { throw location.error("targets", "give `target` or a [targets] table, not both") }
        if let target = settings.target, TargetGoal.implied(by: target) == nil {
            throw location.error("target", "the name '\(target)' implies no goal; use [targets.\"\(target)\"] with `goal`")
        }
        for (metric, entry) in (settings.targets ?? [:]).sorted(by: { $0.key < $1.key }) {
            try entry.validate(metric: metric) { location.error("targets.\"\(metric)\".\($0)", $1) }
        }
        if let targets = settings.targets, !targets.values.contains(where: { ($0.weight ?? 1) > 0 }) {
            throw location.error("targets", "needs a metric with a positive weight (the objective would be empty)")
        }
    }

    func execute(_ context: StageContext) throws {
        let swarm = context.input("swarm")
        let swarmConfig = swarm + "/" + SwarmStage.configFile
        guard let data = FileManager.default.contents(atPath: swarmConfig), let text = String(data: data, encoding: .utf8) else {
            throw FactoryError.fileNotFound(path: swarmConfig)
        }
        guard case .table(var table) = try ConfigValue.parseTOML(text, source: swarmConfig) else {
            throw FactoryError.corrupt(path: swarmConfig, reason: "not a table")
        }
        let settings = try context.settings(for: self)
        table["directory"] = .string(context.output)
        table.removeValue(forKey: "target")
        table["target"] = settings.target.map(ConfigValue.string)
        table["targets"] = context.stage.settings["targets"]
        if let holdout = settings.holdout {
            var sweep = [String: ConfigValue]()
            if case .table(let entries)? = table["sweep"] { sweep = entries }
            sweep["holdout"] = .float(holdout)
            table["sweep"] = .table(sweep)
        }
        table["propose"] = context.stage.settings["propose"]
        try context.writeOutput(
            "mix.toml",
            "# Written by `factory run` from [stages.\(context.stage.name)] and \(swarmConfig).\n" + (try ConfigValue.table(table).tomlText()))
        let mixer = AutoMixer(config: try AutoMixerConfig.load(path: context.output + "/mix.toml"), factory: context.factory, store: context.store)
        let report = try mixer.propose(from: try mixer.finishedSwarm(in: swarm + "/" + SwarmStage.sweepFolder))
        context.log.note(report.renderText().trimmingCharacters(in: .newlines))
    }
}
