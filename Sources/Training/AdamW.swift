import FactoryCore
import Models
import Tensors

/// The AdamW optimizer over a `ParameterSet`, with two state buffers per parameter.
///
/// It updates the parameters it holds moments for: all of them, or one group (`Muon` keeps an
/// AdamW over the parameters it does not orthogonalize). Weight decay applies to matrices (rank ≥ 2: projections, embeddings, `lm_head`), not to norm
/// weights or biases.
public struct AdamW: Sendable {
    /// Hyper-parameters.
    public struct Settings: Sendable, Equatable, Codable {
        public var beta1: Float = 0.9
        public var beta2: Float = 0.95
        public var epsilon: Float = 1e-8
        public var weightDecay: Float = 0.1

        public init(beta1: Float = 0.9, beta2: Float = 0.95, epsilon: Float = 1e-8, weightDecay: Float = 0.1) {
            self.beta1 = beta1
            self.beta2 = beta2
            self.epsilon = epsilon
            self.weightDecay = weightDecay
        }
    }

    public let settings: Settings
    /// Steps taken so far.
    public private(set) var stepCount = 0
    /// First moments, named like the parameters.
    public private(set) var firstMoments: ParameterSet
    /// Second moments, named like the parameters.
    public private(set) var secondMoments: ParameterSet

    /// Zero state for `parameters` (the ones this optimizer updates).
    public init(settings: Settings, parameters: ParameterSet) {
        self.settings = settings
        firstMoments = parameters.zeros()
        secondMoments = parameters.zeros()
    }

    /// Restores saved state (for resuming); the moments must match the parameters.
    public init(settings: Settings, stepCount: Int, firstMoments: ParameterSet, secondMoments: ParameterSet) {
        self.settings = settings
        self.stepCount = stepCount
        self.firstMoments = firstMoments
        self.secondMoments = secondMoments
    }

    /// Applies one update at `learningRate` to the parameters this optimizer holds moments for.
    public mutating func step(
        parameters: inout ParameterSet, gradients: ParameterSet, learningRate: Float, pool: ThreadPool = .machineWide
    ) throws {
        stepCount += 1
        for name in firstMoments.names {
            let decays = parameters[name].rank >= 2
            let step = AdamWKernel.Step(
                learningRate: learningRate, beta1: settings.beta1, beta2: settings.beta2, epsilon: settings.epsilon,
                weightDecay: decays ? settings.weightDecay : 0, count: stepCount)
            let gradient = gradients[name]
            try firstMoments.update(name) { first in
                try secondMoments.update(name) { second in
                    try parameters.update(name) { parameter in
                        try AdamWKernel.apply(
                            step, parameter: &parameter, gradient: gradient, firstMoment: &first, secondMoment: &second, pool: pool)
                    }
                }
            }
        }
    }
}
