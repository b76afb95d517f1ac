import FactoryCore
import Models

/// The memory a training run needs, estimated before anything is allocated so that a run file
/// asking for too much (`train.batch = 1e9`, `train.replicas = 1000`, a huge model) is refused
/// up front (`MemoryBudget.require`) instead of aborting in an allocation. A lower bound: it
/// counts the large buffers only.
public enum TrainingMemoryEstimate {
    /// Bytes for `settings.replicas` replicas of `config`, each holding its weights, its
    /// micro-batch gradients and their all-reduced sum, AdamW's two moments, with more than one
    /// replica a verified copy of weights and optimizer state, and one micro-batch's activations
    /// (`LagunaMemoryEstimate.activationBytes`); `nil` when the figure overflows.
    public static func bytes(_ config: LagunaConfig, settings: Trainer.Settings) -> Int? {
        guard settings.replicas > 0, settings.accumulation >= settings.replicas,
            let weights = LagunaMemoryEstimate.weightBytes(config),
            let activations = LagunaMemoryEstimate.activationBytes(config, batch: settings.batch, time: settings.time)
        else { return nil }
        let gradientSets = settings.accumulation / settings.replicas + 1
        let verifiedCopies = settings.replicas > 1 ? 3 : 0
        // weights + gradients + two moments + verified copies, in units of the weights' size
        guard let state = MemoryBudget.product(weights, 1 + gradientSets + 2 + verifiedCopies),
            let perReplica = MemoryBudget.sum(state, activations)
        else { return nil }
        return MemoryBudget.product(perReplica, settings.replicas)
    }
}
