import FactoryCore
import Foundation
import Testing

@testable import Models
@testable import Tensors
@testable import Training

@Suite struct OptimizerTests {
    /// AdamW against the update rule written out in Double, over three steps with changing
    /// gradients, for a decayed matrix and an undecayed norm weight.
    @Test func adamWMatchesReferenceRule() throws {
        var parameters = ParameterSet()
        parameters.append("w", try Tensor(shape: [2, 2], storage: [0.5, -1, 2, 0.25]))
        parameters.append("norm.weight", try Tensor(shape: [2], storage: [1, -0.5]))
        let settings = AdamW.Settings(beta1: 0.9, beta2: 0.99, epsilon: 1e-8, weightDecay: 0.1)
        var optimizer = AdamW(settings: settings, parameters: parameters)
        let gradientSteps: [[Float]] = [[0.1, -0.2, 0.3, 0.4, 1, -1], [0.5, 0.1, -0.3, 0.2, 0.5, 0.5], [-0.2, 0.3, 0.1, -0.4, 0, 2]]
        var reference = parameters.names.flatMap { parameters[$0].storage }.map(Double.init)
        var m = [Double](repeating: 0, count: 6)
        var v = m
        for (index, flat) in gradientSteps.enumerated() {
            var gradients = ParameterSet()
            gradients.append("w", try Tensor(shape: [2, 2], storage: Array(flat[0..<4])))
            gradients.append("norm.weight", try Tensor(shape: [2], storage: Array(flat[4..<6])))
            let lr = 0.01 * Double(index + 1)
            try optimizer.step(parameters: &parameters, gradients: gradients, learningRate: Float(lr))
            let t = Double(index + 1)
            for i in 0..<6 {
                let g = Double(flat[i])
                m[i] = 0.9 * m[i] + 0.1 * g
                v[i] = 0.99 * v[i] + 0.01 * g * g
                let decay = i < 4 ? 0.1 : 0
                reference[i] = reference[i] * (1 - lr * decay) - lr * (m[i] / (1 - pow(0.9, t))) / ((v[i] / (1 - pow(0.99, t))).squareRoot() + 1e-8)
            }
        }
        let actual = parameters.names.flatMap { parameters[$0].storage }
        for i in 0..<6 { #expect(abs(Double(actual[i]) - reference[i]) < 1e-6, "element \(i)") }
        #expect(optimizer.stepCount == 3)
    }

    @Test func schedules() {
        let cosine = LearningRateSchedule(peak: 1, warmupSteps: 10, totalSteps: 110, shape: .cosine, minimumRatio: 0.1, decayFraction: 0.2)
        #expect(cosine.rate(atStep: 5) == 0.5)
        #expect(cosine.rate(atStep: 10) == 1)
        #expect(abs(cosine.rate(atStep: 60) - 0.55) < 1e-12)
        #expect(abs(cosine.rate(atStep: 110) - 0.1) < 1e-12)
        let wsd = LearningRateSchedule(peak: 2, warmupSteps: 0, totalSteps: 100, shape: .warmupStableDecay, minimumRatio: 0, decayFraction: 0.2)
        #expect(wsd.rate(atStep: 80) == 2)
        #expect(abs(wsd.rate(atStep: 90) - 1) < 1e-12)
        #expect(wsd.rate(atStep: 100) == 0)
        #expect(
            LearningRateSchedule(peak: 3, warmupSteps: 0, totalSteps: 5, shape: .constant, minimumRatio: 0.1, decayFraction: 0.2).rate(atStep: 4) == 3
        )
    }

    @Test func clippingScalesToTheMaximumNorm() throws {
        var gradients = ParameterSet()
        gradients.append("a", try Tensor(shape: [2], storage: [3, 0]))
        gradients.append("b", try Tensor(shape: [1, 1], storage: [4]))
        let before = GradientClipping.clip(&gradients, maximumNorm: 1)
        #expect(abs(before - 5) < 1e-12)
        #expect(abs(GradientClipping.globalNorm(gradients) - 1) < 1e-6)
        #expect(abs(gradients["a"].storage[0] - 0.6) < 1e-6)
        let untouched = GradientClipping.clip(&gradients, maximumNorm: 10)
        #expect(abs(untouched - 1) < 1e-6)
    }
}
