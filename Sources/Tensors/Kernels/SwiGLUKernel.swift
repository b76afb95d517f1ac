import FactoryCore

/// The SwiGLU activation of a gated MLP: `h = silu(gate) · up`.
public enum SwiGLUKernel {
    /// `silu(gate) · up` for `[N, width]` operands, each row computed on its own (vectorized from
    /// the row's start, a scalar tail per row), so a row's result never depends on the other rows
    /// or their count: the batch-invariant variant of `forward` for decode steps.
    public static func forwardRowwise(gate: Tensor, up: Tensor, pool: ThreadPool = .machineWide) throws -> Tensor {
        try ShapeCheck.same(gate, up, "SwiGLU gate and up")
        let width = gate.shape.last ?? 0
        let rows = try ShapeCheck.rows(of: gate, width: width, operand: "SwiGLU gate")
        var h = gate
        gate.withUnsafeBufferPointer { gs in
            up.withUnsafeBufferPointer { us in
                h.withUnsafeMutableBufferPointer { hs in
                    let (gs, us, hs) = (SendableBuffer(gs), SendableBuffer(us), SendableBuffer(hs))
                    pool.parallelFor(count: rows, grain: max(1, 16_384 / width)) { range in
                        for row in range {
                            rowwise(gate: gs.base + row * width, up: us.base + row * width, output: hs.base + row * width, width: width)
                        }
                    }
                }
            }
        }
        return h
    }

    /// `silu(gate) · up` over `width` contiguous elements.
    @inline(__always)
    static func rowwise(gate: UnsafePointer<Float>, up: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, width: Int) {
        var i = 0
        while i + 8 <= width {
            let g = UnsafeRawPointer(gate + i).loadUnaligned(as: SIMD8<Float>.self)
            let u = UnsafeRawPointer(up + i).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(output + i).storeBytes(of: g * VectorRow.sigmoid(g) * u, as: SIMD8<Float>.self)
            i += 8
        }
        while i < width {
            output[i] = Activations.silu(gate[i]) * up[i]
            i += 1
        }
    }

    /// Elementwise `silu(gate) · up`.
    public static func forward(gate: Tensor, up: Tensor, pool: ThreadPool = .machineWide) throws -> Tensor {
        try ShapeCheck.same(gate, up, "SwiGLU gate and up")
        var h = gate
        gate.withUnsafeBufferPointer { gs in
            up.withUnsafeBufferPointer { us in
                h.withUnsafeMutableBufferPointer { hs in
                    let (gs, us, hs) = (SendableBuffer(gs), SendableBuffer(us), SendableBuffer(hs))
                    pool.parallelFor(count: hs.buffer.count, grain: 16_384) { range in
                        var i = range.lowerBound
                        while i + 8 <= range.upperBound {
                            let g = UnsafeRawPointer(gs.base + i).loadUnaligned(as: SIMD8<Float>.self)
                            let u = UnsafeRawPointer(us.base + i).loadUnaligned(as: SIMD8<Float>.self)
                            UnsafeMutableRawPointer(hs.base + i).storeBytes(of: g * VectorRow.sigmoid(g) * u, as: SIMD8<Float>.self)
                            i += 8
                        }
                        while i < range.upperBound {
                            hs[i] = Activations.silu(gs[i]) * us[i]
                            i += 1
                        }
                    }
                }
            }
        }
        return h
    }

    /// Gradients with respect to `gate` and `up`.
    public static func backward(
        outputGradient dh: Tensor, gate: Tensor, up: Tensor, pool: ThreadPool = .machineWide
    ) throws -> (gate: Tensor, up: Tensor) {
        try ShapeCheck.same(dh, gate, "SwiGLU gradient and gate")
        var dGate = gate
        var dUp = up
        dh.withUnsafeBufferPointer { dhs in
            gate.withUnsafeBufferPointer { gs in
                up.withUnsafeBufferPointer { us in
                    dGate.withUnsafeMutableBufferPointer { dgs in
                        dUp.withUnsafeMutableBufferPointer { dus in
                            let (dhs, gs, us, dgs, dus) = (
                                SendableBuffer(dhs), SendableBuffer(gs), SendableBuffer(us), SendableBuffer(dgs), SendableBuffer(dus)
                            )
                            pool.parallelFor(count: dhs.buffer.count, grain: 16_384) { range in
                                var i = range.lowerBound
                                while i + 8 <= range.upperBound {
                                    let g = UnsafeRawPointer(gs.base + i).loadUnaligned(as: SIMD8<Float>.self)
                                    let u = UnsafeRawPointer(us.base + i).loadUnaligned(as: SIMD8<Float>.self)
                                    let dh = UnsafeRawPointer(dhs.base + i).loadUnaligned(as: SIMD8<Float>.self)
                                    let s = VectorRow.sigmoid(g)
                                    UnsafeMutableRawPointer(dgs.base + i).storeBytes(of: dh * u * (s * (1 + g * (1 - s))), as: SIMD8<Float>.self)
                                    UnsafeMutableRawPointer(dus.base + i).storeBytes(of: dh * g * s, as: SIMD8<Float>.self)
                                    i += 8
                                }
                                while i < range.upperBound {
                                    dgs[i] = dhs[i] * us[i] * Activations.siluDerivative(gs[i])
                                    dus[i] = dhs[i] * Activations.silu(gs[i])
                                    i += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        return (dGate, dUp)
    }
}
