import FactoryCore
import Tensors

extension LagunaModel {
    /// The default step of the auxiliary-loss-free balancing update.
    public static let defaultBiasUpdateRate: Float = 1e-3

    /// Load balancing without an auxiliary loss (DeepSeek-V3), applied after an optimizer step:
    /// every sparse layer's `mlp.gate.e_score_correction_bias[e] += rate · sign(mean − load_e)`,
    /// where `load_e` counts the step's tokens routed to expert e and `mean` is their mean over
    /// the layer's experts. Overloaded experts become less likely to be chosen, idle ones more;
    /// the bias changes only the selection, never the routing weights, and takes no gradient.
    public mutating func updateCorrectionBiases(loads: LagunaExpertLoads, rate: Float = LagunaModel.defaultBiasUpdateRate) throws {
        for layer in loads.layers {
            let name = "model.layers.\(layer).mlp.gate.e_score_correction_bias"
            let counts = loads.counts[layer]!
            guard layer < config.numHiddenLayers, config.mlpLayerTypes[layer] == .sparse, counts.count == config.numExperts else {
                throw FactoryError.invalidArgument(
                    name: "expert loads", message: "layer \(layer) with \(counts.count) experts is not a sparse layer of this model (\(name))")
            }
            let mean = Double(counts.reduce(0, +)) / Double(counts.count)
            parameters.update(name) { bias in
                for (expert, load) in counts.enumerated() {
                    let direction: Float = Double(load) < mean ? 1 : (Double(load) > mean ? -1 : 0)
                    bias[expert] += rate * direction
                }
            }
        }
    }
}
