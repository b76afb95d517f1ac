import FactoryCore
import Tensors

/// A layer's MLP, by `mlp_layer_types`: a dense SwiGLU MLP or a sparse Mixture-of-Experts block.
enum LagunaMLPBlock {
    case dense(LagunaDenseMLPBlock)
    case sparse(LagunaSparseMoEBlock)

    /// What the backward pass needs, by kind.
    enum Trace {
        case dense(LagunaDenseMLPBlock.Trace)
        case sparse(LagunaSparseMoEBlock.Trace)

        /// The routing of a sparse layer, `nil` for a dense one.
        var sparse: LagunaSparseMoEBlock.Trace? {
            if case .sparse(let trace) = self { return trace }
            return nil
        }
    }

    /// The MLP of layer `layer` of `config`.
    init(config: LagunaConfig, layer: Int, pool: ThreadPool) {
        let prefix = "model.layers.\(layer).mlp."
        switch config.mlpLayerTypes[layer] {
        case .dense: self = .dense(LagunaDenseMLPBlock(prefix: prefix, pool: pool))
        case .sparse: self = .sparse(LagunaSparseMoEBlock(config: config, prefix: prefix, pool: pool))
        }
    }

    func forward(_ x: Tensor, parameters: ParameterSet) throws -> (Tensor, Trace) {
        switch self {
        case .dense(let block):
            let (output, trace) = try block.forward(x, parameters: parameters)
            return (output, .dense(trace))
        case .sparse(let block):
            let (output, trace) = try block.forward(x, parameters: parameters)
            return (output, .sparse(trace))
        }
    }

    /// The input gradient; `cappedLogitGradient` is an auxiliary loss's gradient with respect to a
    /// sparse layer's soft-capped router logits (ignored for dense layers, which have none).
    func backward(
        _ dOutput: Tensor, trace: Trace, parameters: ParameterSet, gradients: inout ParameterSet, cappedLogitGradient: Tensor?
    ) throws -> Tensor {
        switch (self, trace) {
        case (.dense(let block), .dense(let trace)):
            return try block.backward(dOutput, trace: trace, parameters: parameters, gradients: &gradients)
        case (.sparse(let block), .sparse(let trace)):
            return try block.backward(
                dOutput, trace: trace, parameters: parameters, gradients: &gradients, cappedLogitGradient: cappedLogitGradient)
        default:
            preconditionFailure("an MLP trace of the other kind")
        }
    }
}
