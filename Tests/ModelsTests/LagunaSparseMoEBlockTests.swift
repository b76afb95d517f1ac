import FactoryCore
import Foundation
import Testing

@testable import Models
@testable import Tensors

/// The sparse MoE block against its definition (a naive per-token loop in Double) and against
/// finite differences, including the gradient into the router.
@Suite struct LagunaSparseMoEBlockTests {
    /// Two layers, the second sparse: 6 experts of width 4, top 2, soft-cap 4, routed scale 2.5.
    static func config(auxiliaryLoss: Bool = false) -> LagunaConfig {
        LagunaConfig(
            vocabSize: 13, hiddenSize: 8, intermediateSize: 12, numHiddenLayers: 2, numAttentionHeads: 2,
            numKeyValueHeads: 1, headDim: 4, initializerRange: 0.5, slidingWindow: 3,
            layerTypes: [.slidingAttention, .fullAttention], mlpLayerTypes: [.dense, .sparse],
            moeIntermediateSize: 4, sharedExpertIntermediateSize: 3, numExperts: 6, numExpertsPerToken: 2,
            routerAuxLossCoef: 0.3, outputRouterLogits: auxiliaryLoss, moeRoutedScalingFactor: 2.5, moeRouterLogitSoftcapping: 4)
    }

    static let prefix = "model.layers.1.mlp."

    /// Parameters with a random correction bias, so that selection and weights differ.
    static func parameters(_ config: LagunaConfig, seed: UInt64 = 5) throws -> ParameterSet {
        var parameters = try LagunaParameters.initialize(config, seed: seed)
        parameters[prefix + "gate.e_score_correction_bias"] = try GradientCheckInput.random([config.numExperts], seed: "bias", scale: 0.05)
        return parameters
    }

    static func block(_ config: LagunaConfig, pool: ThreadPool = .machineWide) -> LagunaSparseMoEBlock {
        LagunaSparseMoEBlock(config: config, prefix: prefix, pool: pool)
    }

    @Test func outputEqualsANaivePerTokenLoop() throws {
        let config = Self.config()
        let parameters = try Self.parameters(config)
        let x = try GradientCheckInput.random([10, 8], seed: "x")
        let (output, trace) = try Self.block(config).forward(x, parameters: parameters)
        let (gateUp, down) = (parameters[Self.prefix + "experts.gate_up_proj"], parameters[Self.prefix + "experts.down_proj"])
        let router = parameters[Self.prefix + "gate.weight"]
        let bias = parameters[Self.prefix + "gate.e_score_correction_bias"]
        func swiglu(_ x: [Double], gate: (Int, Int) -> Float, up: (Int, Int) -> Float, down: (Int, Int) -> Float, width: Int) -> [Double] {
            let h = (0..<width).map { i -> Double in
                let g = (0..<8).reduce(0.0) { $0 + Double(gate(i, $1)) * x[$1] }
                let u = (0..<8).reduce(0.0) { $0 + Double(up(i, $1)) * x[$1] }
                return g / (1 + exp(-g)) * u
            }
            return (0..<8).map { c in (0..<width).reduce(0.0) { $0 + Double(down(c, $1)) * h[$1] } }
        }
        let shared = (
            parameters[Self.prefix + "shared_experts.gate_proj.weight"], parameters[Self.prefix + "shared_experts.up_proj.weight"],
            parameters[Self.prefix + "shared_experts.down_proj.weight"]
        )
        var loads = [Int](repeating: 0, count: 6)
        for t in 0..<10 {
            let row = (0..<8).map { Double(x[t, $0]) }
            let scores = (0..<6).map { e -> Double in
                let logit = (0..<8).reduce(0.0) { $0 + Double(router[e, $1]) * row[$1] }
                return 1 / (1 + exp(-4 * tanh(logit / 4)))
            }
            let biased: [Double] = (0..<6).map { scores[$0] + Double(bias.storage[$0]) }
            let chosen = (0..<6).sorted { biased[$0] > biased[$1] }.prefix(2)
            let total = chosen.reduce(0.0) { $0 + scores[$1] }
            var expected = swiglu(row, gate: { shared.0[$0, $1] }, up: { shared.1[$0, $1] }, down: { shared.2[$0, $1] }, width: 3)
            for e in chosen {
                loads[e] += 1
                let y = swiglu(row, gate: { gateUp[e, $0, $1] }, up: { gateUp[e, 4 + $0, $1] }, down: { down[e, $0, $1] }, width: 4)
                for c in 0..<8 { expected[c] += 2.5 * scores[e] / total * y[c] }
            }
            for c in 0..<8 { #expect(abs(Double(output[t, c]) - expected[c]) < 1e-5, "token \(t), channel \(c)") }
        }
        #expect(trace.dispatch.loads == loads)
    }

    /// Central differences (step 2e-3) of `Σ output ∘ R` for the input and every parameter of the
    /// block. The inputs were chosen so that no token's top-k choice is near a tie: the smallest
    /// gap between the k-th and (k+1)-th biased score is asserted above 1e-2, far more than the
    /// FD step can move a score, and every perturbed evaluation must select the same experts as
    /// the unperturbed one (else the check would compare against a jump, not a derivative).
    @Test func gradientsIncludingTheRouterMatchFiniteDifferences() throws {
        let config = Self.config()
        let parameters = try Self.parameters(config)
        let x = try GradientCheckInput.random([10, 8], seed: "x")
        let r = try GradientCheckInput.random([10, 8], seed: "r")
        let block = Self.block(config)
        let (_, trace) = try block.forward(x, parameters: parameters)
        let routing = trace.routing
        var smallestGap = Float.infinity
        for t in 0..<10 {
            let biased = (0..<6).map { routing.scores[t, $0] + parameters[Self.prefix + "gate.e_score_correction_bias"].storage[$0] }.sorted(by: >)
            smallestGap = min(smallestGap, biased[1] - biased[2])
        }
        #expect(smallestGap > 1e-2, "a top-k choice is too close to a tie for the FD step: gap \(smallestGap)")

        var gradients = parameters.zeros()
        let dx = try block.backward(r, trace: trace, parameters: parameters, gradients: &gradients, cappedLogitGradient: nil)
        func loss(_ x: Tensor, _ parameters: ParameterSet) throws -> Double {
            let (output, again) = try block.forward(x, parameters: parameters)
            #expect(again.routing.experts == routing.experts, "the FD step changed the expert selection")
            return zip(output.storage, r.storage).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        try Self.check("dx", input: x, analytic: dx) { try loss($0, parameters) }
        for name in [
            "gate.weight", "experts.gate_up_proj", "experts.down_proj",
            "shared_experts.gate_proj.weight", "shared_experts.up_proj.weight", "shared_experts.down_proj.weight",
        ] {
            try Self.check(name, input: parameters[Self.prefix + name], analytic: gradients[Self.prefix + name]) { perturbed in
                var changed = parameters
                changed[Self.prefix + name] = perturbed
                return try loss(x, changed)
            }
        }
        #expect(gradients[Self.prefix + "gate.e_score_correction_bias"].storage.allSatisfy { $0 == 0 })
        #expect(gradients[Self.prefix + "gate.weight"].storage.contains { abs($0) > 1e-3 }, "the router receives a gradient")
    }

    /// Float central differences with step 2e-3: rounding ~1e-7·|L|/h ≈ 1e-4 relative, truncation
    /// O(h²); 2% of the largest gradient separates both from a wrong or missing term.
    static func check(_ name: String, input: Tensor, analytic: Tensor, loss: (Tensor) throws -> Double) throws {
        var worst = 0.0
        var largest = 1e-6
        let indices = input.count <= 64 ? Array(0..<input.count) : (0..<64).map { ($0 * 7919) % input.count }
        for index in indices {
            var plus = input
            var minus = input
            plus.withUnsafeMutableBufferPointer { $0[index] += 2e-3 }
            minus.withUnsafeMutableBufferPointer { $0[index] -= 2e-3 }
            let numeric = (try loss(plus) - loss(minus)) / 4e-3
            worst = max(worst, abs(numeric - Double(analytic.storage[index])))
            largest = max(largest, abs(numeric), abs(Double(analytic.storage[index])))
        }
        #expect(worst / largest < 2e-2, "\(name): max |numeric − analytic| \(worst), largest \(largest)")
    }

    /// With `output_router_logits`, the loss gains `coef × aux` and the router's gradient its
    /// gradient: the whole-model router gradient matches central differences of the total loss.
    @Test func auxiliaryLossEntersLossAndRouterGradient() throws {
        let config = Self.config(auxiliaryLoss: true)
        let model = try LagunaModel(config: config, parameters: try Self.parameters(config))
        let batch = try TokenBatch(batch: 2, time: 5, tokens: [1, 5, 2, 9, 12, 3, 3, 7, 11, 4])
        let result = try model.forwardBackward(batch, targets: batch.nextTokenTargets)
        let aux = try #require(result.auxiliaryLoss)
        var plain = config
        plain.outputRouterLogits = false
        let without = try LagunaModel(config: plain, parameters: model.parameters).forwardBackward(batch, targets: batch.nextTokenTargets)
        #expect(without.auxiliaryLoss == nil)
        #expect(abs(result.loss - (without.loss + 0.3 * aux)) < 1e-6)
        let name = Self.prefix + "gate.weight"
        #expect(result.gradients[name] != without.gradients[name])
        try Self.check("router weight with auxiliary loss", input: model.parameters[name], analytic: result.gradients[name]) { perturbed in
            var parameters = model.parameters
            parameters[name] = perturbed
            let again = try LagunaModel(config: config, parameters: parameters).forwardBackward(batch, targets: batch.nextTokenTargets)
            #expect(again.expertLoads == result.expertLoads, "the FD step changed the expert selection")
            return Double(again.loss)
        }
    }

    @Test func sparseModelIsIdenticalForEveryThreadCount() throws {
        let config = Self.config(auxiliaryLoss: true)
        let model = try LagunaModel(config: config, parameters: try Self.parameters(config))
        let batch = try TokenBatch(batch: 2, time: 6, tokens: [1, 5, 2, 9, 12, 0, 3, 3, 7, 11, 4, 8])
        let results = try [1, 2, 7].map { threads in
            try model.forwardBackward(batch, targets: batch.nextTokenTargets, pool: ThreadPool(threadCount: threads))
        }
        for other in results.dropFirst() {
            #expect(other.loss == results[0].loss)
            #expect(other.logits == results[0].logits)
            #expect(other.gradients == results[0].gradients)
            #expect(other.expertLoads == results[0].expertLoads)
        }
        #expect(results[0].expertLoads.counts[1]?.reduce(0, +) == 12 * 2)
    }
}

/// Seeded random inputs for the tests here.
enum GradientCheckInput {
    static func random(_ shape: [Int], seed: String, scale: Float = 1) throws -> Tensor {
        let stream = RandomStream(seed: 2024).split(seed)
        return try Tensor(shape: shape, storage: (0..<shape.reduce(1, *)).map { stream.normal(at: UInt64($0)) * scale })
    }
}
