import FactoryCore
import Foundation
import Models
import Tensors

/// What a checkpoint needs beyond the weights to resume bitwise: the step and the optimizer's
/// state. (The sampler is stateless and the random streams are addressed by (seed, step), so the
/// step is their whole state.) Stored as `trainer_state.safetensors`: tensors `adamw.m.<name>`
/// and `adamw.v.<name>` for the parameters AdamW updates, `muon.momentum.<name>` for those Muon
/// updates, and metadata `step`, `optimizer` (`adamw` or `muon`), `optimizer_steps` (AdamW's
/// step count), `seed` and `skipped_steps` (absent in older checkpoints: 0).
public struct TrainerState: Sendable {
    public static let fileName = "trainer_state.safetensors"

    public var step: Int
    public var seed: UInt64
    public var optimizer: Optimizer
    /// Steps skipped so far for a non-finite loss or gradient norm (`Trainer.Settings.skipNonfiniteSteps`).
    public var skippedSteps: Int

    public init(step: Int, seed: UInt64, optimizer: Optimizer, skippedSteps: Int = 0) {
        self.step = step
        self.seed = seed
        self.optimizer = optimizer
        self.skippedSteps = skippedSteps
    }

    /// Writes the state into `directory` (the checkpoint's staging folder).
    ///
    /// - Throws: ``FactoryError/corrupt(path:reason:)`` naming the tensor when the optimizer state
    ///   holds a NaN or an infinity (a diverged run's state is never written).
    public func write(toDirectory directory: String) throws {
        var tensors = [String: Tensor]()
        let adamW = optimizer.adamW
        for name in adamW.firstMoments.names {
            tensors["adamw.m." + name] = adamW.firstMoments[name]
            tensors["adamw.v." + name] = adamW.secondMoments[name]
        }
        if let momentum = optimizer.muon?.momentum {
            for name in momentum.names { tensors["muon.momentum." + name] = momentum[name] }
        }
        let metadata = [
            "step": "\(step)", "optimizer": optimizer.name, "optimizer_steps": "\(adamW.stepCount)", "seed": "\(seed)",
            "format": "factory", "skipped_steps": "\(skippedSteps)",
        ]
        let path = directory + "/" + Self.fileName
        for name in tensors.keys.sorted() {
            if var bad = NonFiniteValue.first(in: tensors[name]!) {
                bad.tensor = name
                throw FactoryError.corrupt(path: path, reason: "optimizer state \(bad.description); not written")
            }
        }
        try SafeTensorsFile(tensors: tensors, metadata: metadata).write(to: directory + "/" + Self.fileName)
    }

    /// Reads the state from a checkpoint folder, for parameters shaped like `parameters` and the
    /// optimizer the settings declare (Muon when `muon` is given); a checkpoint written with the
    /// other optimizer is an error. Checkpoints without `optimizer` metadata are AdamW's.
    public static func read(
        fromDirectory directory: String, parameters: ParameterSet, adamW: AdamW.Settings, muon: Muon.Settings?
    ) throws -> TrainerState {
        let path = directory + "/" + fileName
        let file = try SafeTensorsFile.read(path: path)
        func integer<T: FixedWidthInteger>(_ key: String) throws -> T {
            guard let text = file.metadata[key], let value = T(text) else {
                throw FactoryError.corrupt(path: path, reason: "metadata '\(key)' is missing or not an integer")
            }
            return value
        }
        func tensors(_ prefix: String, for names: ParameterSet) -> [String: Tensor] {
            Dictionary(uniqueKeysWithValues: names.names.compactMap { name in file.tensors[prefix + name].map { (name, $0) } })
        }
        let fresh = try Optimizer(adamW: adamW, muon: muon, parameters: parameters)
        let written = file.metadata["optimizer"] ?? "adamw"
        guard written == fresh.name else {
            throw FactoryError.corrupt(
                path: path, reason: "it holds '\(written)' optimizer state but this run's optimizer.name is '\(fresh.name)'")
        }
        var first = fresh.adamW.firstMoments
        var second = fresh.adamW.secondMoments
        try first.load(tensors("adamw.m.", for: first), source: path)
        try second.load(tensors("adamw.v.", for: second), source: path)
        var restoredMuon: Muon?
        if let muon = fresh.muon {
            var momentum = muon.momentum
            try momentum.load(tensors("muon.momentum.", for: momentum), source: path)
            restoredMuon = Muon(settings: muon.settings, groups: muon.groups, momentum: momentum)
        }
        let restoredAdamW = AdamW(settings: adamW, stepCount: try integer("optimizer_steps"), firstMoments: first, secondMoments: second)
        let skipped: Int = try file.metadata["skipped_steps"] == nil ? 0 : integer("skipped_steps")
        return TrainerState(
            step: try integer("step"), seed: try integer("seed"), optimizer: Optimizer(adamW: restoredAdamW, muon: restoredMuon),
            skippedSteps: skipped)
    }
}
