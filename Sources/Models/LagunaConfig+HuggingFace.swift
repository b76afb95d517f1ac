import FactoryCore
import Foundation

extension LagunaConfig {
    /// Reads a Hugging Face `config.json`: unknown keys, wrong types and inconsistent values are
    /// errors naming the file and the key.
    public static func load(configJSONAt path: String) throws -> LagunaConfig {
        guard let data = FileManager.default.contents(atPath: path) else { throw FactoryError.fileNotFound(path: path) }
        return try decode(json: data, source: path)
    }

    /// Decodes `config.json` bytes; `source` names them in errors.
    public static func decode(json data: Data, source: String) throws -> LagunaConfig {
        let file = try ConfigLoader.decode(HuggingFaceConfigFile.self, from: ConfigValue.parseJSON(Array(data), source: source), source: source)
        let config = try file.config(source: source)
        try config.validate(source: source)
        return config
    }

    /// `config.json` in Hugging Face's keys, sorted and indented.
    public func huggingFaceJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(HuggingFaceConfigFile(self))
    }
}

/// The keys of a Hugging Face Laguna `config.json`, including the generic ones `transformers`
/// writes; the ones without meaning here are checked for values the engine does not support.
private struct HuggingFaceConfigFile: Codable {
    struct Rope: Codable {
        var rope_type: String?
        var rope_theta: Double
        var partial_rotary_factor: Double?
    }

    /// `gating` is a boolean or a string in `transformers`.
    enum GatingValue: Codable {
        case flag(Bool)
        case name(String)

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let flag = try? container.decode(Bool.self) {
                self = .flag(flag)
            } else {
                self = .name(try container.decode(String.self))
            }
        }

        func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .flag(let flag): try container.encode(flag)
            case .name(let name): try container.encode(name)
            }
        }
    }

    var model_type: String?
    var architectures: [String]?
    var transformers_version: String?
    var dtype: String?
    var torch_dtype: String?
    var use_cache: Bool?
    var output_router_logits: Bool?
    var hidden_act: String?
    var attention_bias: Bool?
    var attention_dropout: Double?
    var moe_apply_router_weight_on_input: Bool?

    var vocab_size: Int
    var hidden_size: Int
    var intermediate_size: Int
    var num_hidden_layers: Int
    var num_attention_heads: Int
    var num_key_value_heads: Int
    var head_dim: Int
    var max_position_embeddings: Int?
    var initializer_range: Double?
    var rms_norm_eps: Double?
    var tie_word_embeddings: Bool?
    var sliding_window: Int?
    var layer_types: [String]?
    var mlp_layer_types: [String]?
    var num_attention_heads_per_layer: [Int]?
    var rope_parameters: [String: Rope]?
    var gating: GatingValue?
    var moe_intermediate_size: Int?
    var shared_expert_intermediate_size: Int?
    var num_experts: Int?
    var num_experts_per_tok: Int?
    var router_aux_loss_coef: Double?
    var moe_routed_scaling_factor: Double?
    var moe_router_logit_softcapping: Double?
    var pad_token_id: Int?
    var bos_token_id: Int?
    var eos_token_id: Int?

    init(_ config: LagunaConfig) {
        model_type = "laguna"
        architectures = ["LagunaForCausalLM"]
        dtype = "float32"
        hidden_act = "silu"
        attention_bias = false
        attention_dropout = 0
        vocab_size = config.vocabSize
        hidden_size = config.hiddenSize
        intermediate_size = config.intermediateSize
        num_hidden_layers = config.numHiddenLayers
        num_attention_heads = config.numAttentionHeads
        num_key_value_heads = config.numKeyValueHeads
        head_dim = config.headDim
        max_position_embeddings = config.maxPositionEmbeddings
        initializer_range = config.initializerRange
        rms_norm_eps = config.rmsNormEps
        tie_word_embeddings = config.tieWordEmbeddings
        sliding_window = config.slidingWindow
        layer_types = config.layerTypes.map(\.rawValue)
        mlp_layer_types = config.mlpLayerTypes.map(\.rawValue)
        num_attention_heads_per_layer = config.numAttentionHeadsPerLayer
        rope_parameters = Dictionary(uniqueKeysWithValues: config.ropeParameters.map {
            ($0.key.rawValue, Rope(rope_type: "default", rope_theta: $0.value.ropeTheta, partial_rotary_factor: $0.value.partialRotaryFactor))
        })
        gating = config.gating == .perHead ? .flag(true) : .name("per-element")
        moe_intermediate_size = config.moeIntermediateSize
        shared_expert_intermediate_size = config.sharedExpertIntermediateSize
        num_experts = config.numExperts
        num_experts_per_tok = config.numExpertsPerToken
        router_aux_loss_coef = config.routerAuxLossCoef
        moe_routed_scaling_factor = config.moeRoutedScalingFactor
        moe_router_logit_softcapping = config.moeRouterLogitSoftcapping
        pad_token_id = config.padTokenId
        bos_token_id = config.bosTokenId
        eos_token_id = config.eosTokenId
    }

    func config(source: String) throws -> LagunaConfig {
        func fail(_ key: String, _ message: String) -> FactoryError {
            FactoryError.config(file: source, keyPath: key, line: nil, message: message)
        }
        if let model_type, model_type != "laguna" { throw fail("model_type", "expected \"laguna\", got \"\(model_type)\"") }
        if let hidden_act, hidden_act != "silu" { throw fail("hidden_act", "only \"silu\" is supported, got \"\(hidden_act)\"") }
        if attention_bias == true { throw fail("attention_bias", "attention biases are not part of Laguna") }
        if let attention_dropout, attention_dropout != 0 { throw fail("attention_dropout", "must be 0, got \(attention_dropout)") }
        if moe_apply_router_weight_on_input == true {
            throw fail("moe_apply_router_weight_on_input", "true is not supported (nor by transformers)")
        }
        func parse<T: RawRepresentable<String>>(_ names: [String]?, key: String) throws -> [T]? {
            try names?.enumerated().map { index, name in
                guard let value = T(rawValue: name) else { throw fail("\(key)[\(index)]", "unknown value \"\(name)\"") }
                return value
            }
        }
        var rope = LagunaConfig.defaultRopeParameters
        if let rope_parameters {
            rope = [:]
            for (name, entry) in rope_parameters {
                guard let layerType = LagunaConfig.LayerType(rawValue: name) else {
                    throw fail("rope_parameters.\(name)", "unknown layer type (expected full_attention or sliding_attention)")
                }
                if let type = entry.rope_type, type != "default" {
                    throw fail("rope_parameters.\(name).rope_type", "only \"default\" RoPE is supported, got \"\(type)\"")
                }
                rope[layerType] = .init(ropeTheta: entry.rope_theta, partialRotaryFactor: entry.partial_rotary_factor ?? 1)
            }
        }
        let gatingMode: LagunaConfig.Gating
        switch gating ?? .flag(true) {
        case .flag(true), .name("per-head"): gatingMode = .perHead
        case .name("per-element"): gatingMode = .perElement
        case .flag(false): throw fail("gating", "false (no output gate) is not a Laguna mode; use true, \"per-head\" or \"per-element\"")
        case .name(let other): throw fail("gating", "unknown mode \"\(other)\" (expected \"per-head\" or \"per-element\")")
        }
        let defaults = LagunaConfig(
            vocabSize: 1, hiddenSize: 1, intermediateSize: 1, numHiddenLayers: 0, numAttentionHeads: 1, numKeyValueHeads: 1, headDim: 1)
        return LagunaConfig(
            vocabSize: vocab_size, hiddenSize: hidden_size, intermediateSize: intermediate_size,
            numHiddenLayers: num_hidden_layers, numAttentionHeads: num_attention_heads,
            numKeyValueHeads: num_key_value_heads, headDim: head_dim,
            maxPositionEmbeddings: max_position_embeddings ?? 131_072,
            initializerRange: initializer_range ?? defaults.initializerRange,
            rmsNormEps: rms_norm_eps ?? defaults.rmsNormEps,
            tieWordEmbeddings: tie_word_embeddings ?? false,
            slidingWindow: sliding_window ?? defaults.slidingWindow,
            layerTypes: try parse(layer_types, key: "layer_types"),
            mlpLayerTypes: try parse(mlp_layer_types, key: "mlp_layer_types"),
            numAttentionHeadsPerLayer: num_attention_heads_per_layer,
            ropeParameters: rope, gating: gatingMode,
            moeIntermediateSize: moe_intermediate_size ?? defaults.moeIntermediateSize,
            sharedExpertIntermediateSize: shared_expert_intermediate_size ?? defaults.sharedExpertIntermediateSize,
            numExperts: num_experts ?? defaults.numExperts,
            numExpertsPerToken: num_experts_per_tok ?? defaults.numExpertsPerToken,
            routerAuxLossCoef: router_aux_loss_coef ?? defaults.routerAuxLossCoef,
            moeRoutedScalingFactor: moe_routed_scaling_factor ?? defaults.moeRoutedScalingFactor,
            moeRouterLogitSoftcapping: moe_router_logit_softcapping ?? defaults.moeRouterLogitSoftcapping,
            padTokenId: pad_token_id, bosTokenId: bos_token_id, eosTokenId: eos_token_id)
    }
}
