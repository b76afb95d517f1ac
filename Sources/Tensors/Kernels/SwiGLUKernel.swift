import FactoryCore

/// The SwiGLU activation of a gated MLP: `h = silu(gate) · up`.
public enum SwiGLUKernel {
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
