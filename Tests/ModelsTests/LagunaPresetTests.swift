import FactoryCore
import Testing

@testable import Models

/// The presets' shapes and sizes, counted here by hand from the architecture rather than from
/// `LagunaParameters.layout`.
@Suite struct LagunaPresetTests {
    /// Parameters of one attention block plus its two norms.
    static func attentionAndNorms(hidden H: Int, heads: Int, keyValueHeads: Int, headDim d: Int) -> Int {
        let projections = heads * d * H + 2 * keyValueHeads * d * H + H * heads * d
        return projections + 2 * d + heads * H + 2 * H
    }

    /// Hand count of a model whose layers are all dense.
    static func denseCount(vocab V: Int, hidden H: Int, width I: Int, layers: Int, heads: Int, keyValueHeads: Int, headDim: Int) -> Int {
        let layer = attentionAndNorms(hidden: H, heads: heads, keyValueHeads: keyValueHeads, headDim: headDim) + 3 * H * I
        return 2 * V * H + layers * layer + H
    }

    @Test func tinyIsAFewMillionParametersInTheXS2Pattern() throws {
        let config = try LagunaPreset.tiny.config()
        let count = LagunaParameterCount(config)
        let expected = Self.denseCount(vocab: 8192, hidden: 256, width: 768, layers: 4, heads: 8, keyValueHeads: 2, headDim: 32)
        #expect(count.total == expected)
        #expect(LagunaParameters.count(of: config) == expected)
        #expect(count.activePerToken == expected)
        #expect((2_000_000...10_000_000).contains(count.total), "\(count.total)")
        #expect(config.layerTypes == [.fullAttention, .slidingAttention, .slidingAttention, .slidingAttention])
        #expect(config.slidingWindow == 128 && config.headDim == 32 && config.numAttentionHeads == 8)
        #expect(config.ropeParameters[.fullAttention] == .init(ropeTheta: 500_000, partialRotaryFactor: 0.5))
        #expect(config.mlpLayerTypes.allSatisfy { $0 == .dense })
    }

    @Test func proxyHasAboutOneMillionNonEmbeddingParameters() throws {
        let config = try LagunaPreset.proxy.config(vocabSize: 1000)
        let count = LagunaParameterCount(config)
        let expected = Self.denseCount(vocab: 1000, hidden: 128, width: 512, layers: 4, heads: 4, keyValueHeads: 2, headDim: 32)
        #expect(count.total == expected)
        #expect(count.embedding == 2 * 1000 * 128)
        #expect(count.nonEmbedding == expected - 2 * 1000 * 128)
        #expect((900_000...1_100_000).contains(count.nonEmbedding), "\(count.nonEmbedding)")
    }

    @Test func vocabularySizeIsAParameter() throws {
        for preset in LagunaPreset.allCases {
            #expect(try preset.config().vocabSize == preset.defaultVocabSize)
            #expect(try preset.config(vocabSize: 777).vocabSize == 777)
        }
        #expect { try LagunaPreset.tiny.config(vocabSize: 0) } throws: { error in
            guard case .config(let file, let keyPath, _, let message) = error as? FactoryError else { return false }
            return file == "preset laguna-tiny" && keyPath == "vocab_size" && message.contains("must be positive, got 0")
        }
    }

    @Test func xs2IsThirtyThreeBillionWithThreeBillionActive() throws {
        let config = try LagunaPreset.xs2.config()
        let (V, H, layers, experts, active, width, shared, dense) = (100_352, 2048, 40, 256, 8, 512, 512, 8192)
        let attention = Self.attentionAndNorms(hidden: H, heads: 48, keyValueHeads: 8, headDim: 128)
        let routed = experts * 3 * width * H
        let sparseLayer = attention + experts * H + experts + routed + 3 * shared * H
        let total = 2 * V * H + H + (attention + 3 * dense * H) + (layers - 1) * sparseLayer
        let activeTotal = total - (layers - 1) * routed / experts * (experts - active)

        let count = LagunaParameterCount(config)
        #expect(count.total == total)
        #expect(LagunaParameters.count(of: config) == total)
        #expect(count.routedExperts == (layers - 1) * routed)
        #expect(count.activePerToken == activeTotal)
        #expect((32_500_000_000...34_000_000_000).contains(count.total), "\(count.total)")
        #expect((2_500_000_000...3_500_000_000).contains(count.activePerToken), "\(count.activePerToken)")

        #expect(config.layerTypes.count == 40)
        for (layer, type) in config.layerTypes.enumerated() {
            #expect(type == (layer % 4 == 0 ? .fullAttention : .slidingAttention))
        }
        #expect(config.mlpLayerTypes == [.dense] + Array(repeating: .sparse, count: 39))
        #expect(config.slidingWindow == 512 && config.numKeyValueHeads == 8 && config.intermediateSize == 8192)
        #expect(config.ropeParameters[.slidingAttention]?.ropeTheta == 10_000)
        #expect(try LagunaConfig.decode(json: config.huggingFaceJSON(), source: "xs2") == config)
    }

    /// The MoE presets: the dense preset's shape, layer 0 dense, then sparse layers with small
    /// experts and one shared expert; counted by hand, total and active per token.
    @Test(arguments: [(LagunaPreset.tinyMoE, 256, 8, 768, 32, 4, 128), (.proxyMoE, 128, 4, 512, 16, 2, 64)])
    func moePresetsAreSparseAfterTheFirstLayer(
        preset: LagunaPreset, hidden H: Int, heads: Int, dense: Int, experts: Int, active: Int, width: Int
    ) throws {
        let config = try preset.config(vocabSize: 1000)
        #expect(config.mlpLayerTypes == [.dense, .sparse, .sparse, .sparse])
        #expect(config.numExperts == experts && config.numExpertsPerToken == active)
        #expect((16...64).contains(experts) && (2...8).contains(active))
        let attention = Self.attentionAndNorms(hidden: H, heads: heads, keyValueHeads: 2, headDim: 32)
        let routed = experts * 3 * width * H
        let sparseLayer = attention + experts * H + experts + routed + 3 * width * H
        let total = 2 * 1000 * H + H + (attention + 3 * dense * H) + 3 * sparseLayer
        let count = LagunaParameterCount(config)
        #expect(count.total == total && LagunaParameters.count(of: config) == total)
        #expect(count.activePerToken == total - 3 * routed / experts * (experts - active))
    }

    @Test func smallPresetsBuildWorkingModels() throws {
        for preset in [LagunaPreset.tiny, .proxy, .tinyMoE, .proxyMoE] {
            let model = try LagunaModel.initialized(preset.config(vocabSize: 64), seed: 3)
            let logits = try model.logits(TokenBatch(batch: 1, time: 5, tokens: [1, 2, 3, 4, 5]))
            #expect(logits.shape == [5, 64])
            #expect(logits.storage.allSatisfy { $0.isFinite })
        }
    }

    @Test func unknownNamesListTheKnownOnes() throws {
        #expect(try LagunaPreset.named("laguna-proxy") == .proxy)
        do {
            _ = try LagunaPreset.named("laguna-huge")
            Issue.record("an unknown preset was accepted")
        } catch {
            #expect(
                "\(error)".contains("unknown preset 'laguna-huge' (known: laguna-tiny, laguna-proxy, laguna-tiny-moe, laguna-proxy-moe, laguna-xs2)"))
        }
    }
}
