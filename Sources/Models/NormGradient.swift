import FactoryCore
import Tensors

/// The backward pass of an RMSNorm whose weight is the parameter `weightName`: accumulates the
/// weight's gradient and returns the input's.
enum NormGradient {
    static func backward(
        _ dOutput: Tensor, input: Tensor, inverseRMS: [Float], weightName: String,
        parameters: ParameterSet, gradients: inout ParameterSet, pool: ThreadPool
    ) throws -> Tensor {
        let (dInput, dWeight) = try RMSNormKernel.backward(
            outputGradient: dOutput, input: input, weight: parameters[weightName], inverseRMS: inverseRMS, pool: pool)
        try gradients.update(weightName) { try ElementwiseKernel.add(dWeight, into: &$0, pool: pool) }
        return dInput
    }
}
