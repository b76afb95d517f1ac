import FactoryCore

/// Elementwise arithmetic on whole tensors (residual connections, gradient sums).
public enum ElementwiseKernel {
    /// `a += b`.
    public static func add(_ b: Tensor, into a: inout Tensor, pool: ThreadPool = .machineWide) throws {
        try ShapeCheck.same(a, b, "addends")
        b.withUnsafeBufferPointer { bs in
            a.withUnsafeMutableBufferPointer { as_ in
                let (bs, as_) = (SendableBuffer(bs), SendableBuffer(as_))
                pool.parallelFor(count: as_.buffer.count, grain: 32_768) { range in
                    for i in range { as_[i] += bs[i] }
                }
            }
        }
    }

    /// `a + b` as a new tensor.
    public static func sum(_ a: Tensor, _ b: Tensor, pool: ThreadPool = .machineWide) throws -> Tensor {
        var result = a
        try add(b, into: &result, pool: pool)
        return result
    }
}
