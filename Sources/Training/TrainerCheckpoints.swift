import FactoryCore
import Foundation
import Models

/// Checkpoint folders: where they go, writing them atomically with digests, and restoring them.
extension Trainer {
    /// The model and trainer state in a checkpoint folder (weights verified by digest), checked
    /// against the run's model config and settings (optimizer, seed, and the
    /// `settings.resumption` the checkpoint recorded: a change is an error unless
    /// `allowingChanges`, and is then returned).
    static func restore(
        from checkpoint: String, config: LagunaConfig, settings: Settings, allowingChanges: Bool
    ) throws -> (model: LagunaModel, state: TrainerState, changes: [ResumptionSettings.Change]) {
        let file = try LagunaCheckpoint.read(directory: checkpoint, verify: true)
        let changes = settings.resumption.changes(since: ResumptionSettings(metadata: file.manifest?.metadata ?? [:]))
        guard changes.isEmpty || allowingChanges else {
            throw FactoryError.invalidArgument(
                name: "--resume",
                message: "\(checkpoint) was trained with other settings (\(changes.map(\.description).joined(separator: "; "))); "
                    + "resuming would not continue that run exactly. Restore them, or pass --allow-config-change "
                    + "to resume with the new ones (the change is recorded)")
        }
        let read = file.model
        // A checkpoint written with a tokenizer carries its special token ids in config.json
        // where the run's config leaves them unset; training goes on with the run's config.
        var expected = config
        expected.bosTokenId = config.bosTokenId ?? read.config.bosTokenId
        expected.eosTokenId = config.eosTokenId ?? read.config.eosTokenId
        expected.padTokenId = config.padTokenId ?? read.config.padTokenId
        guard read.config == expected else {
            throw FactoryError.corrupt(path: checkpoint, reason: "its config.json differs from this run's model config")
        }
        let restored = try LagunaModel(config: config, parameters: read.parameters)
        var restoredState = try TrainerState.read(
            fromDirectory: checkpoint, parameters: restored.parameters, adamW: settings.adamW, muon: settings.muon)
        guard restoredState.seed == settings.seed || allowingChanges else {
            throw FactoryError.corrupt(path: checkpoint, reason: "it was trained with seed \(restoredState.seed), this run uses \(settings.seed)")
        }
        restoredState.seed = settings.seed
        return (restored, restoredState, changes)
    }

    /// The newest `checkpoints/step-*` folder under `output`, if any.
    public static func latestCheckpoint(in output: String) -> String? {
        let folder = output + "/checkpoints"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasPrefix("step-") && !$0.contains(".") }.sorted().last.map { folder + "/" + $0 }
    }

    /// Writes `model` and `state` as a checkpoint folder (with `tokenizerPath`'s tokenizer and the
    /// `resumption` settings in its metadata) atomically, with digests; non-finite weights or
    /// optimizer state are an error and nothing is written.
    static func writeCheckpoint(
        model: LagunaModel, state: TrainerState, resumption: ResumptionSettings, tokenizerPath: String?, to directory: String
    ) throws {
        try FileManager.default.createDirectory(
            atPath: (directory as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try LagunaCheckpoint.write(
            model: model, to: directory, tokenizer: tokenizerPath,
            metadata: resumption.metadata.merging(["step": "\(state.step)", "seed": "\(state.seed)"]) { _, fixed in fixed }
        ) { staging in try state.write(toDirectory: staging) }
    }

    /// The checkpoint folder of step `step` under `output`: `checkpoints/step-NNNNNNN`.
    static func checkpointPath(output: String, step: Int) -> String {
        output + "/checkpoints/" + String(format: "step-%07d", step)
    }
}
