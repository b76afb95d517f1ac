import FactoryCore

/// The routed experts of a sparse layer as `ExpertMLPKernel.forward` computes them, but batch
/// invariant: every product goes through `RowwiseLinearKernel` (fixed-order dot products), and SwiGLU runs
/// row by row, so a token's expert output does not depend on which other tokens chose the expert.
/// Experts run in parallel, each on one thread, writing only their own rows.
public enum RowwiseExpertMLPKernel {
    /// Expert outputs `[R, H]` for grouped rows `x [R, H]`, with `gateUp [E, 2I, H]` and `down [E, H, I]`.
    public static func forward(
        _ x: Tensor, dispatch: MoEDispatch, gateUp: Tensor, down: Tensor, pool: ThreadPool = .machineWide
    ) throws -> Tensor {
        let experts = dispatch.expertCount
        guard gateUp.rank == 3, gateUp.shape[0] == experts, gateUp.shape[1] % 2 == 0 else {
            throw FactoryError.invalidArgument(name: "experts gate_up shape", message: "expected [\(experts), 2·I, H], got \(gateUp.shape)")
        }
        let (width, hiddenSize) = (gateUp.shape[1] / 2, gateUp.shape[2])
        try ShapeCheck.exact(down, [experts, hiddenSize, width], operand: "experts down")
        try ShapeCheck.exact(x, [dispatch.assignments.count, hiddenSize], operand: "grouped expert input")
        var output = try Tensor(shape: [x.shape[0], hiddenSize])
        let offsets = dispatch.offsets
        x.withUnsafeBufferPointer { xs in
            gateUp.withUnsafeBufferPointer { gus in
                down.withUnsafeBufferPointer { ds in
                    output.withUnsafeMutableBufferPointer { os in
                        let (xs, gus, ds, os) = (SendableBuffer(xs), SendableBuffer(gus), SendableBuffer(ds), SendableBuffer(os))
                        pool.parallelFor(count: experts, grain: 1) { range in
                            for e in range where offsets[e + 1] > offsets[e] {
                                let (first, count) = (offsets[e], offsets[e + 1] - offsets[e])
                                var gate = [Float](repeating: 0, count: count * width)
                                var up = gate
                                var hidden = gate
                                gate.withUnsafeMutableBufferPointer { g in
                                    up.withUnsafeMutableBufferPointer { u in
                                        hidden.withUnsafeMutableBufferPointer { h in
                                            let weights = gus.base + e * 2 * width * hiddenSize
                                            let input = xs.base + first * hiddenSize
                                            RowwiseLinearKernel.multiply(
                                                rows: count, outputs: width, inputs: hiddenSize, x: input, weight: weights,
                                                y: g.baseAddress!, pool: .serial)
                                            RowwiseLinearKernel.multiply(
                                                rows: count, outputs: width, inputs: hiddenSize, x: input, weight: weights + width * hiddenSize,
                                                y: u.baseAddress!, pool: .serial)
                                            for r in 0..<count {
                                                SwiGLUKernel.rowwise(
                                                    gate: g.baseAddress! + r * width, up: u.baseAddress! + r * width,
                                                    output: h.baseAddress! + r * width, width: width)
                                            }
                                            RowwiseLinearKernel.multiply(
                                                rows: count, outputs: hiddenSize, inputs: width, x: h.baseAddress!,
                                                weight: ds.base + e * hiddenSize * width, y: os.base + first * hiddenSize, pool: .serial)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return output
    }
}
