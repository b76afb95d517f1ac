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
        let bytes = LagunaMemoryEstimate.weightBytes(config).flatMap { weights in
            LagunaMemoryEstimate.activationBytes(config, batch: batch, time: sequenceLength).flatMap { activations in
                MemoryBudget.product(weights, 4).flatMap { state in
                    let (sum, overflow) = state.addingReportingOverflow(activations)
                    return overflow ? nil : MemoryBudget.product(sum, replicas)
                }
            }
        }
        try MemoryBudget.require(
            bytes, for: "\(replicas) training replica(s) with --batch \(batch) and --sequence-length \(sequenceLength)", name: "--batch")
    }
}
