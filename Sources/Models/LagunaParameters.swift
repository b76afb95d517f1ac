import FactoryCore
import Tensors

/// The Hugging Face names and shapes of a Laguna model's parameters, and their initialization.
public enum LagunaParameters {
    /// Names and shapes in `named_parameters()` order, without allocating any storage.
    public static func layout(of config: LagunaConfig) -> [(name: String, shape: [Int])] {
        let (H, d, kv) = (config.hiddenSize, config.headDim, config.numKeyValueHeads)
        var entries: [(String, [Int])] = [("model.embed_tokens.weight", [config.vocabSize, H])]
        for layer in 0..<config.numHiddenLayers {
            let prefix = "model.layers.\(layer)."
            let heads = config.numAttentionHeadsPerLayer[layer]
            entries += [
                (prefix + "self_attn.q_proj.weight", [heads * d, H]),
                (prefix + "self_attn.k_proj.weight", [kv * d, H]),
                (prefix + "self_attn.v_proj.weight", [kv * d, H]),
                (prefix + "self_attn.o_proj.weight", [H, heads * d]),
                (prefix + "self_attn.q_norm.weight", [d]),
                (prefix + "self_attn.k_norm.weight", [d]),
                (prefix + "self_attn.g_proj.weight", [config.gateWidth(ofLayer: layer), H]),
            ]
            switch config.mlpLayerTypes[layer] {
            case .dense:
                let width = config.intermediateSize
                entries += [
                    (prefix + "mlp.gate_proj.weight", [width, H]),
                    (prefix + "mlp.up_proj.weight", [width, H]),
                    (prefix + "mlp.down_proj.weight", [H, width]),
                ]
            case .sparse:
                let (experts, width, shared) = (config.numExperts, config.moeIntermediateSize, config.sharedExpertIntermediateSize)
                entries += [
                    (prefix + "mlp.experts.gate_up_proj", [experts, 2 * width, H]),
                    (prefix + "mlp.experts.down_proj", [experts, H, width]),
                    (prefix + "mlp.gate.weight", [experts, H]),
                    (prefix + "mlp.gate.e_score_correction_bias", [experts]),
                    (prefix + "mlp.shared_experts.gate_proj.weight", [shared, H]),
                    (prefix + "mlp.shared_experts.up_proj.weight", [shared, H]),
                    (prefix + "mlp.shared_experts.down_proj.weight", [H, shared]),
                ]
            }
            entries += [(prefix + "input_layernorm.weight", [H]), (prefix + "post_attention_layernorm.weight", [H])]
        }
        entries.append(("model.norm.weight", [H]))
        if !config.tieWordEmbeddings { entries.append(("lm_head.weight", [config.vocabSize, H])) }
        return entries
    }

    /// Number of parameters, computed from the layout alone.
    public static func count(of config: LagunaConfig) -> Int {
        layout(of: config).reduce(0) { $0 + $1.shape.reduce(1, *) }
    }

    /// Initializes as `transformers` does: matrices and embeddings `N(0, initializer_range²)`,
    /// norm weights 1, the routing correction bias 0; each tensor from its own random stream
    /// named by its parameter name, so the values do not depend on the order of creation.
    public static func initialize(_ config: LagunaConfig, seed: UInt64) throws -> ParameterSet {
        let root = RandomStream(seed: seed).split("init")
        let std = Float(config.initializerRange)
        var parameters = ParameterSet()
        for (name, shape) in layout(of: config) {
            let count = shape.reduce(1, *)
            let storage: [Float]
            if name.hasSuffix("norm.weight") || name.hasSuffix("layernorm.weight") {
                storage = [Float](repeating: 1, count: count)
            } else if name.hasSuffix("e_score_correction_bias") {
                storage = [Float](repeating: 0, count: count)
            } else {
                let stream = root.split(name)
                storage = (0..<count).map { stream.normal(at: UInt64($0)) * std }
            }
            parameters.append(name, try Tensor(shape: shape, storage: storage))
        }
        if let pad = config.padTokenId, pad >= 0, pad < config.vocabSize {
            var embedding = parameters["model.embed_tokens.weight"]
            for column in 0..<config.hiddenSize { embedding[pad, column] = 0 }
            parameters["model.embed_tokens.weight"] = embedding
        }
        return parameters
    }
}
