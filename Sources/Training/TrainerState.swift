import FactoryCore
import Foundation
import Models
import Tensors

/// What a checkpoint needs beyond the weights to resume bitwise: the step, the optimizer's
/// moments and step count. (The sampler is stateless and the random streams are addressed by
/// (seed, step), so the step is their whole state.) Stored as `trainer_state.safetensors`:
/// tensors `adamw.m.<name>` and `adamw.v.<name>`, and metadata `step`, `optimizer_steps`, `seed`.
public struct TrainerState: Sendable {
    public static let fileName = "trainer_state.safetensors"

    public var step: Int
    public var seed: UInt64
    public var optimizer: AdamW

    public init(step: Int, seed: UInt64, optimizer: AdamW) {
        self.step = step
        self.seed = seed
        self.optimizer = optimizer
    }

    /// Writes the state into `directory` (the checkpoint's staging folder).
    public func write(toDirectory directory: String) throws {
        var tensors = [String: Tensor]()
        for name in optimizer.firstMoments.names {
            tensors["adamw.m." + name] = optimizer.firstMoments[name]
            tensors["adamw.v." + name] = optimizer.secondMoments[name]
        }
        let metadata = ["step": "\(step)", "optimizer_steps": "\(optimizer.stepCount)", "seed": "\(seed)", "format": "factory"]
        try SafeTensorsFile(tensors: tensors, metadata: metadata).write(to: directory + "/" + Self.fileName)
    }

    /// Reads the state from a checkpoint folder, for parameters shaped like `parameters`.
    public static func read(fromDirectory directory: String, parameters: ParameterSet, settings: AdamW.Settings) throws -> TrainerState {
        let path = directory + "/" + fileName
        let file = try SafeTensorsFile.read(path: path)
        func integer<T: FixedWidthInteger>(_ key: String) throws -> T {
            guard let text = file.metadata[key], let value = T(text) else {
                throw FactoryError.corrupt(path: path, reason: "metadata '\(key)' is missing or not an integer")
            }
            return value
        }
        var first = parameters.zeros()
        var second = parameters.zeros()
        try first.load(Dictionary(uniqueKeysWithValues: parameters.names.compactMap { name in
            file.tensors["adamw.m." + name].map { (name, $0) }
        }), source: path)
        try second.load(Dictionary(uniqueKeysWithValues: parameters.names.compactMap { name in
            file.tensors["adamw.v." + name].map { (name, $0) }
        }), source: path)
        let optimizer = AdamW(settings: settings, stepCount: try integer("optimizer_steps"), firstMoments: first, secondMoments: second)
        return TrainerState(step: try integer("step"), seed: try integer("seed"), optimizer: optimizer)
    }
}
