import FactoryCore
import Foundation

extension LagunaConfig {
    /// Reads a Hugging Face `config.json`: unknown keys, wrong types and inconsistent values are
    /// errors naming the file and the key. An `eos_token_id` list (as `transformers` allows) gives
    /// its first id as `eosTokenId`.
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

    /// `config.json` in Hugging Face's keys, sorted and indented. Floating-point keys are
    /// written with a fraction (`1.0`, not `1`): `transformers` rejects integers for them.
    public func huggingFaceJSON() throws -> Data {
        Data(try HuggingFaceJSONText.render(huggingFaceValue, source: "config.json").utf8)
    }

    /// The `config.json` tree: this config plus the generic keys `transformers` writes.
    private var huggingFaceValue: ConfigValue {
        var rope: [String: ConfigValue] = [:]
        for (layerType, parameters) in ropeParameters {
            rope[layerType.rawValue] = .table([
                "rope_type": .string("default"), "rope_theta": .float(parameters.ropeTheta),
                "partial_rotary_factor": .float(parameters.partialRotaryFactor),
            ])
        }
        var table: [String: ConfigValue] = [
            "model_type": .string("laguna"), "architectures": .array([.string("LagunaForCausalLM")]),
            "dtype": .string("float32"), "hidden_act": .string("silu"), "attention_bias": .bool(false),
            "attention_dropout": .float(0),
            "vocab_size": .integer(vocabSize), "hidden_size": .integer(hiddenSize),
            "intermediate_size": .integer(intermediateSize), "num_hidden_layers": .integer(numHiddenLayers),
            "num_attention_heads": .integer(numAttentionHeads), "num_key_value_heads": .integer(numKeyValueHeads),
            "head_dim": .integer(headDim), "max_position_embeddings": .integer(maxPositionEmbeddings),
            "initializer_range": .float(initializerRange), "rms_norm_eps": .float(rmsNormEps),
            "tie_word_embeddings": .bool(tieWordEmbeddings), "sliding_window": .integer(slidingWindow),
            "layer_types": .array(layerTypes.map { .string($0.rawValue) }),
            "mlp_layer_types": .array(mlpLayerTypes.map { .string($0.rawValue) }),
            "num_attention_heads_per_layer": .array(numAttentionHeadsPerLayer.map { .integer($0) }),
            "rope_parameters": .table(rope),
            "gating": gating == .perHead ? .bool(true) : .string("per-element"),
            "moe_intermediate_size": .integer(moeIntermediateSize),
            "shared_expert_intermediate_size": .integer(sharedExpertIntermediateSize),
            "num_experts": .integer(numExperts), "num_experts_per_tok": .integer(numExpertsPerToken),
            "router_aux_loss_coef": .float(routerAuxLossCoef), "moe_routed_scaling_factor": .float(moeRoutedScalingFactor),
            "moe_router_logit_softcapping": .float(moeRouterLogitSoftcapping),
            "output_router_logits": .bool(outputRouterLogits),
        ]
        table["pad_token_id"] = padTokenId.map { .integer($0) }
        table["bos_token_id"] = bosTokenId.map { .integer($0) }
        table["eos_token_id"] = eosTokenId.map { .integer($0) }
        return .table(table)
    }
}

/// The keys of a Hugging Face Laguna `config.json`, including the generic ones `transformers`
/// writes; the ones without meaning here are checked for values the engine does not support.
private struct HuggingFaceConfigFile: Decodable {
    struct Rope: Decodable {
        var rope_type: String?
        var rope_theta: Double
        var partial_rotary_factor: Double?
    }

    /// `gating` is a boolean or a string in `transformers`.
    enum GatingValue: Decodable {
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
    var eos_token_id: TokenIds?

    /// `eos_token_id` is one id or a list of them in `transformers`.
    enum TokenIds: Decodable {
        case one(Int)
        case list([Int])

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let id = try? container.decode(Int.self) {
                self = .one(id)
            } else {
                self = .list(try container.decode([Int].self))
            }
        }

        /// The id, or the first of the list (`LagunaConfig.eosTokenId` holds one).
        var first: Int? {
            switch self {
            case .one(let id): return id
            case .list(let ids): return ids.first
            }
        }
    }

    func config(source: String) throws -> LagunaConfig {
        func fail(_ key: String, _ message: String) -> FactoryError {
            FactoryError.config(file: source, keyPath: key, line: nil, message: message)
        }
        guard (1...LagunaConfig.maximumLayers).contains(num_hidden_layers) else {
            throw fail("num_hidden_layers", "must be in 1...\(LagunaConfig.maximumLayers), got \(num_hidden_layers)")
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
            outputRouterLogits: output_router_logits ?? false,
            moeRoutedScalingFactor: moe_routed_scaling_factor ?? defaults.moeRoutedScalingFactor,
            moeRouterLogitSoftcapping: moe_router_logit_softcapping ?? defaults.moeRouterLogitSoftcapping,
            padTokenId: pad_token_id, bosTokenId: bos_token_id, eosTokenId: eos_token_id?.first)
    }
}
