import FactoryCore

/// The shape and hyper-parameters of a Laguna model, with the semantics and key names of
/// Hugging Face `LagunaConfig` (`transformers` ≥ 5.x, `model_type = "laguna"`).
public struct LagunaConfig: Equatable, Sendable {
    /// How a layer attends.
    public enum LayerType: String, Codable, Sendable, CaseIterable {
        case fullAttention = "full_attention"
        case slidingAttention = "sliding_attention"
    }

    /// What a layer's MLP is.
    public enum MLPType: String, Codable, Sendable {
        case dense
        case sparse
    }

    /// Granularity of the softplus output gate.
    public enum Gating: Equatable, Sendable {
        /// One gate per head (`gating: true` or `"per-head"`), `g_proj [heads, H]`.
        case perHead
        /// One gate per channel (`"per-element"`), `g_proj [heads · head_dim, H]`.
        case perElement
    }

    /// Rotary parameters of one layer type.
    public struct RopeParameters: Equatable, Sendable, Codable {
        public var ropeTheta: Double
        public var partialRotaryFactor: Double

        public init(ropeTheta: Double, partialRotaryFactor: Double) {
            self.ropeTheta = ropeTheta
            self.partialRotaryFactor = partialRotaryFactor
        }
    }

    public var vocabSize: Int
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var numHiddenLayers: Int
    public var numAttentionHeads: Int
    public var numKeyValueHeads: Int
    public var headDim: Int
    public var maxPositionEmbeddings: Int
    public var initializerRange: Double
    public var rmsNormEps: Double
    public var tieWordEmbeddings: Bool
    public var slidingWindow: Int
    public var layerTypes: [LayerType]
    public var mlpLayerTypes: [MLPType]
    public var numAttentionHeadsPerLayer: [Int]
    public var ropeParameters: [LayerType: RopeParameters]
    public var gating: Gating
    public var moeIntermediateSize: Int
    public var sharedExpertIntermediateSize: Int
    public var numExperts: Int
    public var numExpertsPerToken: Int
    public var routerAuxLossCoef: Double
    /// Whether the loss includes `routerAuxLossCoef` × the Switch load-balancing loss over the
    /// sparse layers' router logits (`output_router_logits`, as `transformers` adds it).
    public var outputRouterLogits: Bool
    public var moeRoutedScalingFactor: Double
    public var moeRouterLogitSoftcapping: Double
    public var padTokenId: Int?
    public var bosTokenId: Int?
    public var eosTokenId: Int?

    /// The Hugging Face defaults for the rotary parameters of each layer type.
    public static let defaultRopeParameters: [LayerType: RopeParameters] = [
        .fullAttention: RopeParameters(ropeTheta: 500_000, partialRotaryFactor: 0.5),
        .slidingAttention: RopeParameters(ropeTheta: 10_000, partialRotaryFactor: 1),
    ]

    /// A dense configuration; per-layer lists default as in `transformers`
    /// (all full attention, first MLP dense and the rest sparse unless given).
    public init(
        vocabSize: Int, hiddenSize: Int, intermediateSize: Int, numHiddenLayers: Int,
        numAttentionHeads: Int, numKeyValueHeads: Int, headDim: Int,
        maxPositionEmbeddings: Int = 4096, initializerRange: Double = 0.02, rmsNormEps: Double = 1e-6,
        tieWordEmbeddings: Bool = false, slidingWindow: Int = 512,
        layerTypes: [LayerType]? = nil, mlpLayerTypes: [MLPType]? = nil, numAttentionHeadsPerLayer: [Int]? = nil,
        ropeParameters: [LayerType: RopeParameters] = LagunaConfig.defaultRopeParameters,
        gating: Gating = .perHead,
        moeIntermediateSize: Int = 512, sharedExpertIntermediateSize: Int = 512, numExperts: Int = 256,
        numExpertsPerToken: Int = 8, routerAuxLossCoef: Double = 0.001, outputRouterLogits: Bool = false,
        moeRoutedScalingFactor: Double = 1,
        moeRouterLogitSoftcapping: Double = 0,
        padTokenId: Int? = nil, bosTokenId: Int? = nil, eosTokenId: Int? = nil
    ) {
        self.vocabSize = vocabSize
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.numHiddenLayers = numHiddenLayers
        self.numAttentionHeads = numAttentionHeads
        self.numKeyValueHeads = numKeyValueHeads
        self.headDim = headDim
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.initializerRange = initializerRange
        self.rmsNormEps = rmsNormEps
        self.tieWordEmbeddings = tieWordEmbeddings
        self.slidingWindow = slidingWindow
        self.layerTypes = layerTypes ?? Array(repeating: .fullAttention, count: numHiddenLayers)
        self.mlpLayerTypes = mlpLayerTypes ?? ([.dense] + Array(repeating: .sparse, count: max(numHiddenLayers - 1, 0)))
        self.numAttentionHeadsPerLayer = numAttentionHeadsPerLayer ?? Array(repeating: numAttentionHeads, count: numHiddenLayers)
        self.ropeParameters = ropeParameters
        self.gating = gating
        self.moeIntermediateSize = moeIntermediateSize
        self.sharedExpertIntermediateSize = sharedExpertIntermediateSize
        self.numExperts = numExperts
        self.numExpertsPerToken = numExpertsPerToken
        self.routerAuxLossCoef = routerAuxLossCoef
        self.outputRouterLogits = outputRouterLogits
        self.moeRoutedScalingFactor = moeRoutedScalingFactor
        self.moeRouterLogitSoftcapping = moeRouterLogitSoftcapping
        self.padTokenId = padTokenId
        self.bosTokenId = bosTokenId
        self.eosTokenId = eosTokenId
    }

    /// The largest value of any size setting (`hidden_size`, `intermediate_size`, …): 2³¹, so
    /// that the product of two never overflows and parameter counts can be checked
    /// (`LagunaParameterCount.checkedTotal`). Sizes below it can still be far too large for the
    /// machine; `LagunaMemoryEstimate` and `MemoryBudget` refuse those where memory is needed.
    public static let maximumDimension = 1 << 31
    /// The most layers a config may declare (per-layer lists are allocated from it).
    public static let maximumLayers = 1 << 16

    /// Checks that every size is in range, the per-layer lists and head counts fit together and
    /// the parameter count fits in an `Int`; `source` names the file in errors.
    public func validate(source: String) throws {
        func fail(_ key: String, _ message: String) -> FactoryError {
            FactoryError.config(file: source, keyPath: key, line: nil, message: message)
        }
        let positives: [(String, Int)] = [
            ("vocab_size", vocabSize), ("hidden_size", hiddenSize), ("num_hidden_layers", numHiddenLayers),
            ("num_attention_heads", numAttentionHeads),
            ("num_key_value_heads", numKeyValueHeads), ("head_dim", headDim), ("sliding_window", slidingWindow),
            ("max_position_embeddings", maxPositionEmbeddings),
        ]
        for (key, value) in positives where value <= 0 {
            throw fail(key, "must be positive, got \(value)")
        }
        let sizes: [(String, Int)] =
            positives + [
                ("intermediate_size", intermediateSize), ("moe_intermediate_size", moeIntermediateSize),
                ("shared_expert_intermediate_size", sharedExpertIntermediateSize), ("num_experts", numExperts),
                ("num_experts_per_tok", numExpertsPerToken),
            ] + numAttentionHeadsPerLayer.enumerated().map { ("num_attention_heads_per_layer[\($0.offset)]", $0.element) }
        for (key, value) in sizes where value < 0 || value > Self.maximumDimension {
            throw fail(key, "must be in 0...\(Self.maximumDimension), got \(value)")
        }
        guard numHiddenLayers <= Self.maximumLayers else {
            throw fail("num_hidden_layers", "must be at most \(Self.maximumLayers), got \(numHiddenLayers)")
        }
        guard initializerRange >= 0 else { throw fail("initializer_range", "must not be negative, got \(initializerRange)") }
        guard rmsNormEps > 0 else { throw fail("rms_norm_eps", "must be positive, got \(rmsNormEps)") }
        guard routerAuxLossCoef >= 0 else { throw fail("router_aux_loss_coef", "must not be negative, got \(routerAuxLossCoef)") }
        guard moeRoutedScalingFactor > 0 else {
            throw fail("moe_routed_scaling_factor", "must be positive, got \(moeRoutedScalingFactor)")
        }
        guard moeRouterLogitSoftcapping >= 0 else {
            throw fail("moe_router_logit_softcapping", "must not be negative (0: off), got \(moeRouterLogitSoftcapping)")
        }
        for (key, id) in [("pad_token_id", padTokenId), ("bos_token_id", bosTokenId), ("eos_token_id", eosTokenId)] {
            if let id, !(0..<vocabSize).contains(id) { throw fail(key, "\(id) is not a token id of vocab_size \(vocabSize)") }
        }
        for (layerType, rope) in ropeParameters.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where !(rope.ropeTheta > 0) {
            throw fail("rope_parameters.\(layerType.rawValue).rope_theta", "must be positive, got \(rope.ropeTheta)")
        }
        for (key, count) in [
            ("layer_types", layerTypes.count), ("mlp_layer_types", mlpLayerTypes.count),
            ("num_attention_heads_per_layer", numAttentionHeadsPerLayer.count),
        ]
        where count != numHiddenLayers {
            throw fail(key, "has \(count) entries but num_hidden_layers is \(numHiddenLayers)")
        }
        for (layer, heads) in numAttentionHeadsPerLayer.enumerated() where heads <= 0 || heads % numKeyValueHeads != 0 {
            throw fail("num_attention_heads_per_layer[\(layer)]", "\(heads) is not a positive multiple of num_key_value_heads (\(numKeyValueHeads))")
        }
        for layerType in Set(layerTypes) {
            guard let rope = ropeParameters[layerType] else {
                throw fail("rope_parameters.\(layerType.rawValue)", "missing for a layer type in use")
            }
            let rotary = Int(Double(headDim) * rope.partialRotaryFactor)
            guard rope.partialRotaryFactor > 0, rope.partialRotaryFactor <= 1, rotary % 2 == 0 else {
                throw fail(
                    "rope_parameters.\(layerType.rawValue).partial_rotary_factor",
                    "\(rope.partialRotaryFactor) × head_dim \(headDim) must give an even number of rotary dimensions")
            }
        }
        if mlpLayerTypes.contains(.dense), intermediateSize <= 0 {
            throw fail("intermediate_size", "must be positive for dense layers, got \(intermediateSize)")
        }
        if mlpLayerTypes.contains(.sparse) {
            guard numExperts > 0, numExpertsPerToken > 0, numExpertsPerToken <= numExperts, moeIntermediateSize > 0 else {
                throw fail(
                    "num_experts_per_tok",
                    "sparse layers need 0 < num_experts_per_tok (\(numExpertsPerToken)) ≤ num_experts (\(numExperts)) and a positive moe_intermediate_size"
                )
            }
        }
        guard LagunaParameterCount.checkedTotal(self) != nil else {
            throw fail(
                "",
                "the parameter count of this config does not fit in a 64-bit integer (hidden_size \(hiddenSize), "
                    + "intermediate_size \(intermediateSize), vocab_size \(vocabSize), \(numHiddenLayers) layers)")
        }
    }

    /// The sliding window of layer `index`, or `nil` for a full-attention layer.
    public func window(ofLayer index: Int) -> Int? {
        layerTypes[index] == .slidingAttention ? slidingWindow : nil
    }

    /// Width of `g_proj`'s output in layer `index`.
    public func gateWidth(ofLayer index: Int) -> Int {
        gating == .perHead ? numAttentionHeadsPerLayer[index] : numAttentionHeadsPerLayer[index] * headDim
    }
}
