import FactoryCore

/// Named Laguna shapes: small dense and Mixture-of-Experts models for CPU training and the full
/// Laguna XS.2 shape.
///
/// Every preset attends 3:1 sliding:full, layer `i` being `full_attention` iff `i % 4 == 0`, as
/// XS.2 does; full layers rotate half of each head (`rope_theta` 500,000), sliding layers all of
/// it (`rope_theta` 10,000). The vocabulary size is a parameter, so a preset fits any tokenizer.
public enum LagunaPreset: String, CaseIterable, Sendable {
    /// About 7.2 million parameters (3.0 million outside the embeddings) at the default
    /// vocabulary of 8192: 4 dense layers, hidden 256, 8 heads of 32 over 2 KV heads, window 128.
    case tiny = "laguna-tiny"
    /// About one million parameters outside the embeddings, for AutoMixer's proxy runs: 4 dense
    /// layers, hidden 128, 4 heads of 32 over 2 KV heads, window 128.
    case proxy = "laguna-proxy"
    /// `laguna-tiny` with sparse MLPs as XS.2 has them: layer 0 dense (width 768), layers 1–3
    /// each 32 experts of width 128 with 4 active per token plus one shared expert of width 128.
    case tinyMoE = "laguna-tiny-moe"
    /// `laguna-proxy` with sparse MLPs: layer 0 dense (width 512), layers 1–3 each 16 experts of
    /// width 64 with 2 active per token plus one shared expert of width 64.
    case proxyMoE = "laguna-proxy-moe"
    /// The shape of Laguna XS.2 (DESIGN section 4): about 33 billion parameters, about 3 billion
    /// active per token. Too large to allocate here; use it for its config and its counts.
    case xs2 = "laguna-xs2"

    /// The preset called `name`; the error lists the known names.
    public static func named(_ name: String) throws -> LagunaPreset {
        guard let preset = LagunaPreset(rawValue: name) else {
            throw FactoryError.invalidArgument(
                name: "preset", message: "unknown preset '\(name)' (known: \(allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return preset
    }

    /// The vocabulary size used when none is given.
    public var defaultVocabSize: Int {
        switch self {
        case .tiny, .proxy, .tinyMoE, .proxyMoE: return 8192
        case .xs2: return 100_352
        }
    }

    /// The configuration, with `vocabSize` tokens (the preset's default when `nil`).
    public func config(vocabSize: Int? = nil) throws -> LagunaConfig {
        let vocab = vocabSize ?? defaultVocabSize
        let config: LagunaConfig
        switch self {
        case .tiny:
            config = Self.dense(
                vocabSize: vocab, hiddenSize: 256, intermediateSize: 768, layers: 4, heads: 8, keyValueHeads: 2, window: 128)
        case .proxy:
            config = Self.dense(
                vocabSize: vocab, hiddenSize: 128, intermediateSize: 512, layers: 4, heads: 4, keyValueHeads: 2, window: 128)
        case .tinyMoE:
            config = Self.sparse(
                Self.dense(vocabSize: vocab, hiddenSize: 256, intermediateSize: 768, layers: 4, heads: 8, keyValueHeads: 2, window: 128),
                experts: 32, active: 4, width: 128)
        case .proxyMoE:
            config = Self.sparse(
                Self.dense(vocabSize: vocab, hiddenSize: 128, intermediateSize: 512, layers: 4, heads: 4, keyValueHeads: 2, window: 128),
                experts: 16, active: 2, width: 64)
        case .xs2:
            let layers = 40
            config = LagunaConfig(
                vocabSize: vocab, hiddenSize: 2048, intermediateSize: 8192, numHiddenLayers: layers,
                numAttentionHeads: 48, numKeyValueHeads: 8, headDim: 128, maxPositionEmbeddings: 131_072,
                slidingWindow: 512, layerTypes: Self.layerTypes(layers),
                mlpLayerTypes: [.dense] + Array(repeating: .sparse, count: layers - 1),
                ropeParameters: Self.ropeParameters, gating: .perHead,
                moeIntermediateSize: 512, sharedExpertIntermediateSize: 512, numExperts: 256, numExpertsPerToken: 8)
        }
        try config.validate(source: "preset \(rawValue)")
        return config
    }

    /// Full rotary on sliding layers, half on full layers.
    private static let ropeParameters: [LagunaConfig.LayerType: LagunaConfig.RopeParameters] = [
        .fullAttention: .init(ropeTheta: 500_000, partialRotaryFactor: 0.5),
        .slidingAttention: .init(ropeTheta: 10_000, partialRotaryFactor: 1),
    ]

    /// Layer `i` is full attention iff `i % 4 == 0`.
    private static func layerTypes(_ count: Int) -> [LagunaConfig.LayerType] {
        (0..<count).map { $0 % 4 == 0 ? .fullAttention : .slidingAttention }
    }

    /// `config` with every layer after the first sparse: `experts` routed experts of width `width`,
    /// `active` per token, and one shared expert of the same width.
    private static func sparse(_ config: LagunaConfig, experts: Int, active: Int, width: Int) -> LagunaConfig {
        var config = config
        config.mlpLayerTypes = [.dense] + Array(repeating: .sparse, count: config.numHiddenLayers - 1)
        config.numExperts = experts
        config.numExpertsPerToken = active
        config.moeIntermediateSize = width
        config.sharedExpertIntermediateSize = width
        return config
    }

    /// A dense-MLP model with head_dim 32 and a per-head output gate.
    private static func dense(
        vocabSize: Int, hiddenSize: Int, intermediateSize: Int, layers: Int, heads: Int, keyValueHeads: Int, window: Int
    ) -> LagunaConfig {
        LagunaConfig(
            vocabSize: vocabSize, hiddenSize: hiddenSize, intermediateSize: intermediateSize, numHiddenLayers: layers,
            numAttentionHeads: heads, numKeyValueHeads: keyValueHeads, headDim: 32, maxPositionEmbeddings: 4096,
            slidingWindow: window, layerTypes: layerTypes(layers),
            mlpLayerTypes: Array(repeating: .dense, count: layers), ropeParameters: ropeParameters, gating: .perHead)
    }
}
