import FactoryCore
import Models
import Tensors

/// Clipping by the global L2 norm over every gradient tensor.
public enum GradientClipping {
    /// The global norm, reduced in parameter order (deterministic).
    public static func globalNorm(_ gradients: ParameterSet, pool: ThreadPool = .machineWide) -> Double {
        gradients.names.reduce(0.0) { $0 + ReductionKernel.sumOfSquares(gradients[$1], pool: pool) }.squareRoot()
    }

    /// Scales all gradients by `maximumNorm / norm` when the norm exceeds `maximumNorm`; returns
    /// the norm before clipping.
    @discardableResult
    public static func clip(_ gradients: inout ParameterSet, maximumNorm: Double, pool: ThreadPool = .machineWide) -> Double {
        let norm = globalNorm(gradients, pool: pool)
        guard maximumNorm > 0, norm > maximumNorm else { return norm }
        let factor = Float(maximumNorm / norm)
        for name in gradients.names {
            gradients.update(name) { ReductionKernel.scale(&$0, by: factor, pool: pool) }
        }
        return norm
    }
}
