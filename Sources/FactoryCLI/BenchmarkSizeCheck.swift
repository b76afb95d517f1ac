import FactoryCore
import Models

/// The checks `factory bench train` and `bench replica` make before measuring: every count
/// option at least 1 (named), and the memory of `replicas` training replicas of the model
/// (weights, gradients, AdamW moments and one batch's activations) within the machine's.
enum BenchmarkSizeCheck {
    static func require(positive options: [(name: String, value: Int)]) throws {
        for (name, value) in options where value < 1 {
            throw FactoryError.invalidArgument(name: name, message: "must be at least 1, got \(value)")
        }
    }

    static func requireMemory(_ config: LagunaConfig, batch: Int, sequenceLength: Int, replicas: Int = 1) throws {
        var bytes: Int?
        if let weights = LagunaMemoryEstimate.weightBytes(config),
            let activations = LagunaMemoryEstimate.activationBytes(config, batch: batch, time: sequenceLength),
            let state = MemoryBudget.product(weights, 4),
            let sum = MemoryBudget.sum(state, activations)
        {
            bytes = MemoryBudget.product(sum, replicas)
        }
        try MemoryBudget.require(
            bytes, for: "\(replicas) training replica(s) with --batch \(batch) and --sequence-length \(sequenceLength)", name: "--batch")
    }
}
