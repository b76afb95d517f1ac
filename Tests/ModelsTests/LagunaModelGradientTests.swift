import FactoryCore
import Testing

@testable import Models
@testable import Tensors

@Suite struct LagunaModelGradientTests {
    /// Two layers (sliding window 3, then full), GQA 2:1, partial rotary, per-element gate.
    static func smallConfig(gating: LagunaConfig.Gating, tied: Bool) -> LagunaConfig {
        LagunaConfig(
            vocabSize: 13, hiddenSize: 8, intermediateSize: 12, numHiddenLayers: 2, numAttentionHeads: 2,
            numKeyValueHeads: 1, headDim: 4, initializerRange: 0.4, tieWordEmbeddings: tied, slidingWindow: 3,
            layerTypes: [.slidingAttention, .fullAttention], mlpLayerTypes: [.dense, .dense],
            numAttentionHeadsPerLayer: [2, 4],
            ropeParameters: [
                .fullAttention: .init(ropeTheta: 500_000, partialRotaryFactor: 0.5),
                .slidingAttention: .init(ropeTheta: 10_000, partialRotaryFactor: 1),
            ],
            gating: gating)
    }

    /// Central differences of the Float loss with step 2.5e-3; every parameter tensor is sampled.
    /// The loss is O(1), so Float rounding adds ~1e-7·|L|/h ≈ 1e-4 absolute error per difference;
    /// truncation error is O(h²) (a step of 1e-2 already showed 5% on the tied embedding, whose
    /// curvature is large, and it shrank with the step as truncation does). A 5% tolerance relative
    /// to the largest gradient of each tensor separates both from a missing or wrong backward term,
    /// which is off by O(1) of the gradient.
    @Test(arguments: [(LagunaConfig.Gating.perHead, false), (.perElement, true)])
    func wholeModelGradientsMatchFiniteDifferences(gating: LagunaConfig.Gating, tied: Bool) throws {
        let config = Self.smallConfig(gating: gating, tied: tied)
        let model = try LagunaModel.initialized(config, seed: 7)
        let batch = try TokenBatch(batch: 2, time: 6, tokens: [1, 5, 2, 9, 12, 0, 3, 3, 7, 11, 4, 8])
        let targets = batch.nextTokenTargets
        let (_, gradients, _) = try model.lossAndGradients(batch, targets: targets)
        func loss(_ parameters: ParameterSet) throws -> Double {
            Double(try LagunaModel(config: config, parameters: parameters).lossAndGradients(batch, targets: targets).loss)
        }
        for name in model.parameters.names {
            let tensor = model.parameters[name]
            let indices = Array(Set((0..<6).map { ($0 * 7919 + name.count) % tensor.count })).sorted()
            var worst = 0.0
            var largest = 1e-4
            for index in indices {
                var plus = model.parameters
                var minus = model.parameters
                plus.update(name) { $0.withUnsafeMutableBufferPointer { $0[index] += 2.5e-3 } }
                minus.update(name) { $0.withUnsafeMutableBufferPointer { $0[index] -= 2.5e-3 } }
                let numeric = (try loss(plus) - loss(minus)) / 5e-3
                let analytic = Double(gradients[name].storage[index])
                worst = max(worst, abs(numeric - analytic))
                largest = max(largest, abs(numeric), abs(analytic))
            }
            #expect(worst / largest < 5e-2, "\(name): max |numeric − analytic| \(worst), largest \(largest)")
        }
    }

    @Test func identicalForEveryThreadCount() throws {
        let config = Self.smallConfig(gating: .perHead, tied: false)
        let model = try LagunaModel.initialized(config, seed: 3)
        let batch = try TokenBatch(batch: 2, time: 6, tokens: [1, 5, 2, 9, 12, 0, 3, 3, 7, 11, 4, 8])
        let results = try [1, 2, 7].map { threads in
            try model.lossAndGradients(batch, targets: batch.nextTokenTargets, pool: ThreadPool(threadCount: threads))
        }
        #expect(results[0].loss == results[1].loss && results[0].loss == results[2].loss)
        #expect(results[0].gradients == results[1].gradients)
        #expect(results[0].gradients == results[2].gradients)
    }
}
