import FactoryCore

/// Whole-tensor reductions and scaling, in a fixed order.
public enum ReductionKernel {
    /// `Σ x²` accumulated in Double over fixed chunks, combined in chunk order.
    public static func sumOfSquares(_ x: Tensor, pool: ThreadPool = .machineWide) -> Double {
        x.withUnsafeBufferPointer { xs in
            let xs = SendableBuffer(xs)
            return pool.parallelReduce(
                count: xs.buffer.count, grain: 65_536, initial: 0.0,
                chunk: { range in range.reduce(0.0) { $0 + Double(xs[$1]) * Double(xs[$1]) } },
                combine: +)
        }
    }

    /// `x ← x · factor`.
    public static func scale(_ x: inout Tensor, by factor: Float, pool: ThreadPool = .machineWide) {
        x.withUnsafeMutableBufferPointer { xs in
            let xs = SendableBuffer(xs)
            pool.parallelFor(count: xs.buffer.count, grain: 65_536) { range in
                for i in range { xs[i] *= factor }
            }
        }
    }
}
