import FactoryCore
import Tensors

/// A dense SwiGLU MLP: `down(silu(gate(x)) · up(x))`, under `prefix` (`model.layers.{i}.mlp.`).
struct LagunaDenseMLPBlock {
    struct Trace {
        let input: Tensor
        let gate: Tensor
        let up: Tensor
        let hidden: Tensor
    }

    let prefix: String
    let pool: ThreadPool

    func forward(_ x: Tensor, parameters: ParameterSet) throws -> (Tensor, Trace) {
        let gate = try LinearKernel.forward(x, weight: parameters[prefix + "gate_proj.weight"], pool: pool)
        let up = try LinearKernel.forward(x, weight: parameters[prefix + "up_proj.weight"], pool: pool)
        let hidden = try SwiGLUKernel.forward(gate: gate, up: up, pool: pool)
        let output = try LinearKernel.forward(hidden, weight: parameters[prefix + "down_proj.weight"], pool: pool)
        return (output, Trace(input: x, gate: gate, up: up, hidden: hidden))
    }

    func backward(_ dOutput: Tensor, trace: Trace, parameters: ParameterSet, gradients: inout ParameterSet) throws -> Tensor {
        let dHidden = try gradients.update(prefix + "down_proj.weight") {
            try LinearKernel.backward(
                outputGradient: dOutput, input: trace.hidden, weight: parameters[prefix + "down_proj.weight"], weightGradient: &$0, pool: pool)
        }
        let (dGate, dUp) = try SwiGLUKernel.backward(outputGradient: dHidden, gate: trace.gate, up: trace.up, pool: pool)
        var dInput = try gradients.update(prefix + "gate_proj.weight") {
            try LinearKernel.backward(
                outputGradient: dGate, input: trace.input, weight: parameters[prefix + "gate_proj.weight"], weightGradient: &$0, pool: pool)
        }
        let fromUp = try gradients.update(prefix + "up_proj.weight") {
            try LinearKernel.backward(
                outputGradient: dUp, input: trace.input, weight: parameters[prefix + "up_proj.weight"], weightGradient: &$0, pool: pool)
        }
        try ElementwiseKernel.add(fromUp, into: &dInput, pool: pool)
        return dInput
    }
}
