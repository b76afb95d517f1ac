import FactoryCore

/// Laguna's attention output gate: `attn · softplus(g)` before `o_proj`, with one gate per head
/// (`g [N, heads]`, broadcast over `head_dim`) or one per element (`g [N, heads · head_dim]`).
public enum OutputGateKernel {
    /// `attention [N, heads · headDim]`, `gate [N, heads]` or `[N, heads · headDim]`.
    public static func forward(attention: Tensor, gate: Tensor, headDimension: Int, pool: ThreadPool = .machineWide) throws -> Tensor {
        let (rows, width, gateWidth) = try dimensions(attention: attention, gate: gate, headDimension: headDimension)
        let group = width / gateWidth
        var output = attention
        attention.withUnsafeBufferPointer { xs in
            gate.withUnsafeBufferPointer { gs in
                output.withUnsafeMutableBufferPointer { os in
                    let (xs, gs, os) = (SendableBuffer(xs), SendableBuffer(gs), SendableBuffer(os))
                    pool.parallelFor(count: rows, grain: 64) { range in
                        for row in range {
                            for g in 0..<gateWidth {
                                let factor = Activations.softplus(gs[row * gateWidth + g])
                                let base = row * width + g * group
                                for i in 0..<group { os[base + i] = xs[base + i] * factor }
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// Gradients with respect to the attention output and the gate pre-activation.
    public static func backward(
        outputGradient dy: Tensor, attention: Tensor, gate: Tensor, headDimension: Int, pool: ThreadPool = .machineWide
    ) throws -> (attention: Tensor, gate: Tensor) {
        let (rows, width, gateWidth) = try dimensions(attention: attention, gate: gate, headDimension: headDimension)
        try ShapeCheck.same(dy, attention, "gate output gradient and attention")
        let group = width / gateWidth
        var dAttention = attention
        var dGate = gate
        dy.withUnsafeBufferPointer { dys in
            attention.withUnsafeBufferPointer { xs in
                gate.withUnsafeBufferPointer { gs in
                    dAttention.withUnsafeMutableBufferPointer { dxs in
                        dGate.withUnsafeMutableBufferPointer { dgs in
                            let (dys, xs, gs, dxs, dgs) = (
                                SendableBuffer(dys), SendableBuffer(xs), SendableBuffer(gs), SendableBuffer(dxs), SendableBuffer(dgs)
                            )
                            pool.parallelFor(count: rows, grain: 64) { range in
                                for row in range {
                                    for g in 0..<gateWidth {
                                        let preActivation = gs[row * gateWidth + g]
                                        let factor = Activations.softplus(preActivation)
                                        let base = row * width + g * group
                                        var dot: Float = 0
                                        for i in 0..<group {
                                            dxs[base + i] = dys[base + i] * factor
                                            dot += dys[base + i] * xs[base + i]
                                        }
                                        dgs[row * gateWidth + g] = dot * Activations.softplusDerivative(preActivation)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (dAttention, dGate)
    }

    private static func dimensions(attention: Tensor, gate: Tensor, headDimension: Int) throws -> (Int, Int, Int) {
        guard attention.rank == 2, gate.rank == 2, attention.shape[0] == gate.shape[0], headDimension > 0,
            attention.shape[1] % headDimension == 0,
            gate.shape[1] == attention.shape[1] || gate.shape[1] * headDimension == attention.shape[1]
        else {
            throw FactoryError.invalidArgument(
                name: "output gate shapes",
                message: "attention \(attention.shape) and gate \(gate.shape) do not fit head_dim \(headDimension)")
        }
        return (attention.shape[0], attention.shape[1], gate.shape[1])
    }
}
