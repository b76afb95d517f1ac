import FactoryCore
import Foundation

/// One AdamW update (Loshchilov & Hutter), with PyTorch's `torch.optim.AdamW` semantics:
/// decoupled weight decay `p ← p · (1 − lr·λ)` first, then
/// `p ← p − lr · m̂ / (sqrt(v̂) + ε)` with bias-corrected moments.
public enum AdamWKernel {
    /// Hyper-parameters of one step.
    public struct Step: Sendable {
        public var learningRate: Float
        public var beta1: Float
        public var beta2: Float
        public var epsilon: Float
        public var weightDecay: Float
        /// 1 for the first step.
        public var count: Int

        public init(learningRate: Float, beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float, count: Int) {
            self.learningRate = learningRate
            self.beta1 = beta1
            self.beta2 = beta2
            self.epsilon = epsilon
            self.weightDecay = weightDecay
            self.count = count
        }
    }

    /// Updates `parameter`, `firstMoment` and `secondMoment` in place from `gradient`.
    public static func apply(
        _ step: Step, parameter: inout Tensor, gradient: Tensor, firstMoment: inout Tensor, secondMoment: inout Tensor,
        pool: ThreadPool = .machineWide
    ) throws {
        try ShapeCheck.same(parameter, gradient, "parameter and gradient")
        try ShapeCheck.same(parameter, firstMoment, "parameter and first moment")
        try ShapeCheck.same(parameter, secondMoment, "parameter and second moment")
        let correction1 = 1 - powf(step.beta1, Float(step.count))
        let correction2 = 1 - powf(step.beta2, Float(step.count))
        let decay = 1 - step.learningRate * step.weightDecay
        gradient.withUnsafeBufferPointer { gs in
            parameter.withUnsafeMutableBufferPointer { ps in
                firstMoment.withUnsafeMutableBufferPointer { ms in
                    secondMoment.withUnsafeMutableBufferPointer { vs in
                        let (gs, ps, ms, vs) = (SendableBuffer(gs), SendableBuffer(ps), SendableBuffer(ms), SendableBuffer(vs))
                        pool.parallelFor(count: ps.buffer.count, grain: 16_384) { range in
                            for i in range {
                                let g = gs[i]
                                let m = step.beta1 * ms[i] + (1 - step.beta1) * g
                                let v = step.beta2 * vs[i] + (1 - step.beta2) * g * g
                                ms[i] = m
                                vs[i] = v
                                let denominator = (v / correction2).squareRoot() + step.epsilon
                                ps[i] = ps[i] * decay - step.learningRate * (m / correction1) / denominator
                            }
                        }
                    }
                }
            }
        }
    }
}
