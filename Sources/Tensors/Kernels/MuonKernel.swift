import FactoryCore

/// The elementwise parts of a Muon step: the momentum with its Nesterov look-ahead, and the
/// parameter update with decoupled weight decay. (The orthogonalization in between is
/// `NewtonSchulzKernel`.)
public enum MuonKernel {
    /// Updates `momentum ← β·momentum + (1 − β)·g` in place and returns the Nesterov look-ahead
    /// `(1 − β)·g + β·momentum` (with the new momentum), which is what gets orthogonalized.
    public static func nesterovMomentum(
        gradient: Tensor, momentum: inout Tensor, beta: Float, pool: ThreadPool = .machineWide
    ) throws -> Tensor {
        try ShapeCheck.same(gradient, momentum, "gradient and momentum")
        var lookAhead = try Tensor(shape: gradient.shape)
        gradient.withUnsafeBufferPointer { gs in
            momentum.withUnsafeMutableBufferPointer { ms in
                lookAhead.withUnsafeMutableBufferPointer { ls in
                    let (gs, ms, ls) = (SendableBuffer(gs), SendableBuffer(ms), SendableBuffer(ls))
                    pool.parallelFor(count: gs.buffer.count, grain: 32_768) { range in
                        for i in range {
                            let m = beta * ms[i] + (1 - beta) * gs[i]
                            ms[i] = m
                            ls[i] = (1 - beta) * gs[i] + beta * m
                        }
                    }
                }
            }
        }
        return lookAhead
    }

    /// `p ← p·(1 − lr·λ) − lr·scale·update`: decoupled weight decay at the unscaled learning
    /// rate, then the (orthogonalized) update scaled by `scale`.
    public static func apply(
        update: Tensor, to parameter: inout Tensor, learningRate: Float, scale: Float, weightDecay: Float,
        pool: ThreadPool = .machineWide
    ) throws {
        try ShapeCheck.same(parameter, update, "parameter and update")
        let decay = 1 - learningRate * weightDecay
        let step = learningRate * scale
        update.withUnsafeBufferPointer { us in
            parameter.withUnsafeMutableBufferPointer { ps in
                let (us, ps) = (SendableBuffer(us), SendableBuffer(ps))
                pool.parallelFor(count: ps.buffer.count, grain: 32_768) { range in
                    for i in range { ps[i] = ps[i] * decay - step * us[i] }
                }
            }
        }
    }
}
