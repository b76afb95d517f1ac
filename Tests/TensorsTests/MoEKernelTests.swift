import FactoryCore
import Foundation
import Testing

@testable import Tensors

/// The sparse-layer kernels: routing, dispatch by expert, grouped expert MLPs, auxiliary loss.
@Suite struct MoEKernelTests {
    @Test func dispatchGroupsStablyByExpertAndSkipsIdleExperts() throws {
        // Tokens 0, 1, 2 choose (2, 0), (1, 2), (2, 1) of four experts; expert 3 gets nothing.
        let dispatch = try MoEDispatch(experts: [2, 0, 1, 2, 2, 1], expertCount: 4, expertsPerToken: 2)
        #expect(dispatch.offsets == [0, 1, 3, 6, 6])
        #expect(dispatch.loads == [1, 2, 3, 0])
        #expect(dispatch.assignments == [1, 2, 5, 0, 3, 4])
        for (row, assignment) in dispatch.assignments.enumerated() { #expect(dispatch.rows[assignment] == row) }
        let x = try Tensor(shape: [3, 2], storage: [1, 2, 3, 4, 5, 6])
        #expect(try dispatch.gather(x).storage == [1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6])
        #expect(try dispatch.gatherBackward(dispatch.gather(x)).storage == x.storage.map { 2 * $0 })
        #expect { try MoEDispatch(experts: [0, 4], expertCount: 4, expertsPerToken: 2) } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "expert choices" && message.contains("names expert 4, outside 0..<4")
        }
    }

    /// Routing from logits with a soft-cap of 3 and a random correction bias. The FD step (1e-2)
    /// moves a capped score by at most ~2.5e-3; the smallest gap between the k-th and (k+1)-th
    /// biased score of these inputs is asserted larger than that, and every perturbed evaluation
    /// must choose the same experts, so the difference quotients see a smooth function.
    @Test func routerWeightsAndGradientMatchDefinitionAndFiniteDifferences() throws {
        let (tokens, experts, k, cap): (Int, Int, Int, Float) = (9, 6, 3, 3)
        let logits = try GradientCheck.random([tokens, experts], seed: "router-logits", scale: 2)
        let bias = try GradientCheck.random([experts], seed: "router-bias", scale: 0.1)
        let r = try GradientCheck.random([tokens * k], seed: "router-r")
        let routing = try MoERouterKernel.forward(logits: logits, correctionBias: bias, topK: k, softcap: cap)
        var smallestGap = Float.infinity
        for t in 0..<tokens {
            let scores = (0..<experts).map { 1 / (1 + expf(-cap * tanhf(logits[t, $0] / cap))) }
            let biased = (0..<experts).map { scores[$0] + bias.storage[$0] }
            let order = (0..<experts).sorted { biased[$0] > biased[$1] }
            smallestGap = min(smallestGap, biased[order[k - 1]] - biased[order[k]])
            #expect(routing.experts[(t * k)..<((t + 1) * k)].map(Int.init) == Array(order.prefix(k)))
            let total = order.prefix(k).map { scores[$0] }.reduce(0, +)
            for j in 0..<k { #expect(abs(routing.weights[t * k + j] - scores[order[j]] / total) < 1e-6) }
        }
        #expect(smallestGap > 5e-3, "inputs too close to a selection change for the FD step: gap \(smallestGap)")
        let dLogits = try MoERouterKernel.backward(weightGradient: r.storage, routing: routing, softcap: cap)
        try GradientCheck.check("router dLogits", input: logits, analytic: dLogits, samples: tokens * experts) { perturbed in
            let again = try MoERouterKernel.forward(logits: perturbed, correctionBias: bias, topK: k, softcap: cap)
            #expect(again.experts == routing.experts, "the FD step changed the selection")
            return zip(again.weights, r.storage).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
    }

    /// Naive reference: each assignment's expert applied to its token row by row, in Double.
    static func naiveExpert(_ x: [Float], expert e: Int, gateUp: Tensor, down: Tensor) -> [Double] {
        let (width, hidden) = (gateUp.shape[1] / 2, gateUp.shape[2])
        let h = (0..<width).map { i -> Double in
            var (g, u) = (0.0, 0.0)
            for c in 0..<hidden {
                g += Double(gateUp[e, i, c]) * Double(x[c])
                u += Double(gateUp[e, width + i, c]) * Double(x[c])
            }
            return g / (1 + exp(-g)) * u
        }
        return (0..<hidden).map { c in (0..<width).reduce(0.0) { $0 + Double(down[e, c, $1]) * h[$1] } }
    }

    @Test func groupedExpertsEqualANaivePerTokenLoopAndHaveFiniteDifferenceGradients() throws {
        let (tokens, experts, k, width, hidden) = (7, 5, 2, 3, 4)
        let choices: [Int32] = [0, 3, 3, 1, 0, 3, 1, 0, 3, 0, 1, 3, 0, 1]  // expert 2 and 4 idle
        let dispatch = try MoEDispatch(experts: choices, expertCount: experts, expertsPerToken: k)
        let x = try GradientCheck.random([tokens, hidden], seed: "experts-x")
        let gateUp = try GradientCheck.random([experts, 2 * width, hidden], seed: "experts-gu", scale: 0.7)
        let down = try GradientCheck.random([experts, hidden, width], seed: "experts-down", scale: 0.7)
        let grouped = try dispatch.gather(x)
        let (output, trace) = try ExpertMLPKernel.forward(grouped, dispatch: dispatch, gateUp: gateUp, down: down)
        for assignment in 0..<(tokens * k) {
            let token = assignment / k
            let reference = Self.naiveExpert(
                Array(x.storage[(token * hidden)..<((token + 1) * hidden)]),
                expert: Int(choices[assignment]), gateUp: gateUp, down: down)
            for c in 0..<hidden {
                #expect(abs(Double(output[dispatch.rows[assignment], c]) - reference[c]) < 1e-5, "assignment \(assignment)")
            }
        }
        let r = try GradientCheck.random(output.shape, seed: "experts-r")
        var dGateUp = try Tensor(shape: gateUp.shape)
        var dDown = try Tensor(shape: down.shape)
        let dGrouped = try ExpertMLPKernel.backward(
            outputGradient: r, input: grouped, trace: trace, dispatch: dispatch, gateUp: gateUp, down: down,
            gateUpGradient: &dGateUp, downGradient: &dDown)
        #expect(dGateUp.storage[(2 * 2 * width * hidden)..<(3 * 2 * width * hidden)].allSatisfy { $0 == 0 }, "idle expert 2")
        func loss(_ grouped: Tensor, _ gateUp: Tensor, _ down: Tensor) throws -> Double {
            try GradientCheck.project(ExpertMLPKernel.forward(grouped, dispatch: dispatch, gateUp: gateUp, down: down).output, r)
        }
        try GradientCheck.check("experts dx", input: grouped, analytic: dGrouped) { try loss($0, gateUp, down) }
        try GradientCheck.check("experts dGateUp", input: gateUp, analytic: dGateUp, samples: 96) { try loss(grouped, $0, down) }
        try GradientCheck.check("experts dDown", input: down, analytic: dDown, samples: 96) { try loss(grouped, gateUp, $0) }
    }

    @Test func combineAndItsGradients() throws {
        let dispatch = try MoEDispatch(experts: [1, 0, 0, 2, 2, 1], expertCount: 3, expertsPerToken: 2)
        let grouped = try GradientCheck.random([6, 4], seed: "combine-grouped")
        let weights: [Float] = [0.25, 0.75, 0.5, 0.5, 0.9, 0.1]
        let output = try dispatch.combine(grouped, weights: weights, scale: 2)
        for t in 0..<3 {
            for c in 0..<4 {
                let expected = (0..<2).reduce(Float(0)) { $0 + 2 * weights[t * 2 + $1] * grouped[dispatch.rows[t * 2 + $1], c] }
                #expect(abs(output[t, c] - expected) < 1e-6)
            }
        }
        let r = try GradientCheck.random([3, 4], seed: "combine-r")
        let (dGrouped, dWeights) = try dispatch.combineBackward(r, grouped: grouped, weights: weights, scale: 2)
        try GradientCheck.check("combine dGrouped", input: grouped, analytic: dGrouped) {
            try GradientCheck.project(dispatch.combine($0, weights: weights, scale: 2), r)
        }
        let weightTensor = try Tensor(shape: [6], storage: weights)
        try GradientCheck.check("combine dWeights", input: weightTensor, analytic: try Tensor(shape: [6], storage: dWeights)) {
            try GradientCheck.project(dispatch.combine(grouped, weights: $0.storage, scale: 2), r)
        }
    }

    /// The auxiliary loss on logits with clear top-k margins (so the counts, which take no
    /// gradient, stay fixed under the FD step), checked against its definition and FD.
    @Test func auxiliaryLossMatchesDefinitionAndFiniteDifferences() throws {
        let layers = try (0..<2).map { try GradientCheck.random([6, 4], seed: "aux-\($0)", scale: 3) }
        let (loss, gradients) = try RouterAuxLossKernel.lossAndGradients(logits: layers, topK: 2)
        var counts = [Double](repeating: 0, count: 4)
        var probabilities = [Double](repeating: 0, count: 4)
        for layer in layers {
            for t in 0..<6 {
                let exps: [Double] = (0..<4).map { exp(Double(layer[t, $0])) }
                let total = exps.reduce(0, +)
                let p: [Double] = exps.map { $0 / total }
                for e in 0..<4 { probabilities[e] += p[e] }
                for e in (0..<4).sorted(by: { p[$0] > p[$1] }).prefix(2) { counts[e] += 1 }
            }
        }
        var expected = 0.0
        for e in 0..<4 { expected += 4 * (counts[e] / 12) * (probabilities[e] / 12) }
        #expect(abs(Double(loss) - expected) < 1e-6)
        for (index, layer) in layers.enumerated() {
            try GradientCheck.check("aux loss layer \(index)", input: layer, analytic: gradients[index], step: 1e-3) { perturbed in
                var again = layers
                again[index] = perturbed
                return Double(try RouterAuxLossKernel.lossAndGradients(logits: again, topK: 2).loss)
            }
        }
    }
}
