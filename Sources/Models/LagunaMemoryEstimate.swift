import FactoryCore

/// What a Laguna model needs in memory, estimated from its config alone so that sizes can be
/// refused (`MemoryBudget.require`) before anything is allocated. Every figure is `nil` when it
/// overflows; the config must be validated (`LagunaConfig.validate` bounds every dimension). The figures count the large buffers (F32 weights, the logits, the activations a
/// backward pass keeps, attention scores) and leave out small ones, so they are a lower bound.
public enum LagunaMemoryEstimate {
    /// Bytes of the F32 weights: 4 × parameters.
    public static func weightBytes(_ config: LagunaConfig) -> Int? {
        LagunaParameterCount.checkedTotal(config).flatMap { MemoryBudget.product($0, 4) }
    }

    /// Bytes of one forward and backward pass over `batch` sequences of `time` tokens: the
    /// logits and their gradient, and per layer the kept activations and the attention scores.
    public static func activationBytes(_ config: LagunaConfig, batch: Int, time: Int) -> Int? {
        guard let tokens = MemoryBudget.product(batch, time),
            let logits = MemoryBudget.product(2, tokens, config.vocabSize, 4)
        else { return nil }
        var total = logits
        for layer in 0..<config.numHiddenLayers {
            let width =
                config.mlpLayerTypes[layer] == .dense
                ? config.intermediateSize
                : config.moeIntermediateSize * config.numExpertsPerToken + config.sharedExpertIntermediateSize
            guard let hidden = MemoryBudget.product(10, config.hiddenSize), let mlp = MemoryBudget.product(3, width),
                let perToken = MemoryBudget.sum(hidden, mlp),
                let kept = MemoryBudget.product(tokens, perToken, 4),
                let scores = MemoryBudget.product(batch, config.numAttentionHeadsPerLayer[layer], time, time, 4),
                let next = MemoryBudget.sum(total, kept, scores)
            else { return nil }
            total = next
        }
        return total
    }
}
