import FactoryCore

/// The routed experts of a sparse layer, computed by expert over rows grouped by `MoEDispatch`:
/// expert e maps each of its rows x to `down_e(silu(g) · u)` where `[g; u] = gateUp_e · x` (the
/// first `I` rows of `gateUp_e [2I, H]` make the gate, the next `I` the up projection, as
/// `transformers`' `chunk(2, dim=-1)` splits them) and `down_e [H, I]`.
///
/// One GEMM per expert and projection over its whole group; experts without rows do no work.
/// Experts run in parallel, each product on one thread with shape-only tiles (`GEMM`), and every
/// expert writes only its own rows and weight slices, so results are bitwise identical for any
/// thread count.
public enum ExpertMLPKernel {
    /// What the backward pass needs from the forward pass.
    public struct Trace: Sendable {
        /// `[g; u]` per grouped row, `[R, 2I]`.
        public let gateUp: Tensor
        /// `silu(g) · u` per grouped row, `[R, I]`.
        public let hidden: Tensor
    }

    /// Expert outputs `[R, H]` for grouped rows `x [R, H]`, with `gateUp [E, 2I, H]` and `down [E, H, I]`.
    public static func forward(
        _ x: Tensor, dispatch: MoEDispatch, gateUp: Tensor, down: Tensor, pool: ThreadPool = .machineWide
    ) throws -> (output: Tensor, trace: Trace) {
        let (experts, width, hiddenSize) = try dimensions(x: x, dispatch: dispatch, gateUp: gateUp, down: down)
        let rows = x.shape[0]
        var gateUpActivations = try Tensor(shape: [rows, 2 * width])
        var hidden = try Tensor(shape: [rows, width])
        var output = try Tensor(shape: [rows, hiddenSize])
        let offsets = dispatch.offsets
        x.withUnsafeBufferPointer { xs in
            gateUp.withUnsafeBufferPointer { gus in
                down.withUnsafeBufferPointer { ds in
                    gateUpActivations.withUnsafeMutableBufferPointer { gas in
                        hidden.withUnsafeMutableBufferPointer { hs in
                            output.withUnsafeMutableBufferPointer { os in
                                let (xs, gus, ds, gas, hs, os) = (
                                    SendableBuffer(xs), SendableBuffer(gus), SendableBuffer(ds), SendableBuffer(gas),
                                    SendableBuffer(hs), SendableBuffer(os)
                                )
                                pool.parallelFor(count: experts, grain: 1) { range in
                                    for e in range where offsets[e + 1] > offsets[e] {
                                        let (first, count) = (offsets[e], offsets[e + 1] - offsets[e])
                                        let ga = gas.base + first * 2 * width
                                        let h = hs.base + first * width
                                        GEMM.multiply(
                                            m: count, n: 2 * width, k: hiddenSize, a: xs.base + first * hiddenSize, lda: hiddenSize,
                                            b: gus.base + e * 2 * width * hiddenSize, ldb: hiddenSize, transposeB: true,
                                            c: ga, ldc: 2 * width, pool: .serial)
                                        for r in 0..<count {
                                            for i in 0..<width {
                                                h[r * width + i] = Activations.silu(ga[r * 2 * width + i]) * ga[r * 2 * width + width + i]
                                            }
                                        }
                                        GEMM.multiply(
                                            m: count, n: hiddenSize, k: width, a: h, lda: width,
                                            b: ds.base + e * hiddenSize * width, ldb: width, transposeB: true,
                                            c: os.base + first * hiddenSize, ldc: hiddenSize, pool: .serial)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (output, Trace(gateUp: gateUpActivations, hidden: hidden))
    }

    /// The gradient with respect to the grouped rows `[R, H]`; the weight gradients are added
    /// into `gateUpGradient [E, 2I, H]` and `downGradient [E, H, I]`.
    public static func backward(
        outputGradient dOutput: Tensor, input x: Tensor, trace: Trace, dispatch: MoEDispatch,
        gateUp: Tensor, down: Tensor, gateUpGradient: inout Tensor, downGradient: inout Tensor,
        pool: ThreadPool = .machineWide
    ) throws -> Tensor {
        let (experts, width, hiddenSize) = try dimensions(x: x, dispatch: dispatch, gateUp: gateUp, down: down)
        try ShapeCheck.same(dOutput, x, "expert output gradient and input")
        try ShapeCheck.same(gateUpGradient, gateUp, "expert gate_up gradient and weight")
        try ShapeCheck.same(downGradient, down, "expert down gradient and weight")
        let rows = x.shape[0]
        var dX = try Tensor(shape: x.shape)
        var dGateUp = try Tensor(shape: [rows, 2 * width])
        let offsets = dispatch.offsets
        dOutput.withUnsafeBufferPointer { dys in
            x.withUnsafeBufferPointer { xs in
                trace.gateUp.withUnsafeBufferPointer { gas in
                    trace.hidden.withUnsafeBufferPointer { hs in
                        gateUp.withUnsafeBufferPointer { gus in
                            down.withUnsafeBufferPointer { ds in
                                gateUpGradient.withUnsafeMutableBufferPointer { dgus in
                                    downGradient.withUnsafeMutableBufferPointer { dds in
                                        dX.withUnsafeMutableBufferPointer { dxs in
                                            dGateUp.withUnsafeMutableBufferPointer { dgas in
                                                let buffers = (
                                                    dys: SendableBuffer(dys), xs: SendableBuffer(xs), gas: SendableBuffer(gas),
                                                    hs: SendableBuffer(hs), gus: SendableBuffer(gus), ds: SendableBuffer(ds),
                                                    dgus: SendableBuffer(dgus), dds: SendableBuffer(dds), dxs: SendableBuffer(dxs),
                                                    dgas: SendableBuffer(dgas)
                                                )
                                                pool.parallelFor(count: experts, grain: 1) { range in
                                                    for e in range where offsets[e + 1] > offsets[e] {
                                                        backwardExpert(
                                                            e, first: offsets[e], count: offsets[e + 1] - offsets[e],
                                                            width: width, hiddenSize: hiddenSize, buffers: buffers)
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return dX
    }

    private typealias Buffers = (
        dys: SendableBuffer<Float>, xs: SendableBuffer<Float>, gas: SendableBuffer<Float>, hs: SendableBuffer<Float>,
        gus: SendableBuffer<Float>, ds: SendableBuffer<Float>, dgus: SendableBuffer<Float>, dds: SendableBuffer<Float>,
        dxs: SendableBuffer<Float>, dgas: SendableBuffer<Float>
    )

    /// One expert's backward over its `count` rows starting at `first`.
    private static func backwardExpert(_ e: Int, first: Int, count: Int, width: Int, hiddenSize: Int, buffers b: Buffers) {
        let dy = b.dys.base + first * hiddenSize
        let h = b.hs.base + first * width
        let ga = b.gas.base + first * 2 * width
        let dga = b.dgas.base + first * 2 * width
        let x = b.xs.base + first * hiddenSize
        // dDown_e += dyᵀ · h; dh = dy · down_e (written into the up half of dga, then expanded).
        GEMM.multiply(
            m: hiddenSize, n: width, k: count, a: dy, lda: hiddenSize, transposeA: true, b: h, ldb: width,
            beta: 1, c: b.dds.base + e * hiddenSize * width, ldc: width, pool: .serial)
        GEMM.multiply(
            m: count, n: width, k: hiddenSize, a: dy, lda: hiddenSize, b: b.ds.base + e * hiddenSize * width, ldb: width,
            c: dga + width, ldc: 2 * width, pool: .serial)
        for r in 0..<count {
            for i in 0..<width {
                let (gate, up, dh) = (ga[r * 2 * width + i], ga[r * 2 * width + width + i], dga[r * 2 * width + width + i])
                dga[r * 2 * width + i] = dh * up * Activations.siluDerivative(gate)
                dga[r * 2 * width + width + i] = dh * Activations.silu(gate)
            }
        }
        // dGateUp_e += dgaᵀ · x; dx = dga · gateUp_e.
        GEMM.multiply(
            m: 2 * width, n: hiddenSize, k: count, a: dga, lda: 2 * width, transposeA: true, b: x, ldb: hiddenSize,
            beta: 1, c: b.dgus.base + e * 2 * width * hiddenSize, ldc: hiddenSize, pool: .serial)
        GEMM.multiply(
            m: count, n: hiddenSize, k: 2 * width, a: dga, lda: 2 * width, b: b.gus.base + e * 2 * width * hiddenSize,
            ldb: hiddenSize, c: b.dxs.base + first * hiddenSize, ldc: hiddenSize, pool: .serial)
    }

    /// (experts, expert width I, hidden size H), checking every shape.
    private static func dimensions(x: Tensor, dispatch: MoEDispatch, gateUp: Tensor, down: Tensor) throws -> (Int, Int, Int) {
        guard gateUp.rank == 3, gateUp.shape[1] % 2 == 0 else {
            throw FactoryError.invalidArgument(name: "expert gate_up_proj shape", message: "expected [E, 2I, H], got \(gateUp.shape)")
        }
        let (experts, width, hiddenSize) = (gateUp.shape[0], gateUp.shape[1] / 2, gateUp.shape[2])
        try ShapeCheck.exact(down, [experts, hiddenSize, width], operand: "expert down_proj")
        try ShapeCheck.exact(x, [dispatch.assignments.count, hiddenSize], operand: "grouped expert input")
        guard dispatch.expertCount == experts else {
            throw FactoryError.invalidArgument(
                name: "expert dispatch", message: "groups \(dispatch.expertCount) experts, the weights hold \(experts)")
        }
        return (experts, width, hiddenSize)
    }
}
