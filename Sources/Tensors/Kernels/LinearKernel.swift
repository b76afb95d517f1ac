import FactoryCore

/// A bias-free linear layer in PyTorch's convention: `y = x · Wᵀ` with `W` stored `[out, in]`.
public enum LinearKernel {
    /// `x [.., in]`, `weight [out, in]` → `y [.., out]`.
    public static func forward(_ x: Tensor, weight: Tensor, pool: ThreadPool = .machineWide) throws -> Tensor {
        try ShapeCheck.exact(weight, [weight.shape.first ?? 0, x.shape.last ?? 0], operand: "linear weight")
        let (outputs, inputs) = (weight.shape[0], weight.shape[1])
        let rows = try ShapeCheck.rows(of: x, width: inputs, operand: "linear input")
        var y = try Tensor(shape: Array(x.shape.dropLast()) + [outputs])
        x.withUnsafeBufferPointer { xs in
            weight.withUnsafeBufferPointer { ws in
                y.withUnsafeMutableBufferPointer { ys in
                    GEMM.multiply(
                        m: rows, n: outputs, k: inputs, a: xs.baseAddress!, lda: inputs,
                        b: ws.baseAddress!, ldb: inputs, transposeB: true, c: ys.baseAddress!, ldc: outputs, pool: pool)
                }
            }
        }
        return y
    }

    /// `dx = dy · W`; `dW += dyᵀ · x` accumulated into `weightGradient` (so gradients of a
    /// weight used several times, or over micro-batches, add up).
    public static func backward(
        outputGradient dy: Tensor, input x: Tensor, weight: Tensor, weightGradient: inout Tensor,
        pool: ThreadPool = .machineWide
    ) throws -> Tensor {
        let (outputs, inputs) = (weight.shape[0], weight.shape[1])
        try ShapeCheck.same(weightGradient, weight, "linear weight gradient and weight")
        let rows = try ShapeCheck.rows(of: dy, width: outputs, operand: "linear output gradient")
        try ShapeCheck.exact(x, Array(dy.shape.dropLast()) + [inputs], operand: "linear input")
        var dx = try Tensor(shape: x.shape)
        dy.withUnsafeBufferPointer { dys in
            x.withUnsafeBufferPointer { xs in
                weight.withUnsafeBufferPointer { ws in
                    dx.withUnsafeMutableBufferPointer { dxs in
                        GEMM.multiply(
                            m: rows, n: inputs, k: outputs, a: dys.baseAddress!, lda: outputs,
                            b: ws.baseAddress!, ldb: inputs, c: dxs.baseAddress!, ldc: inputs, pool: pool)
                    }
                    weightGradient.withUnsafeMutableBufferPointer { dws in
                        GEMM.multiply(
                            m: outputs, n: inputs, k: rows, a: dys.baseAddress!, lda: outputs, transposeA: true,
                            b: xs.baseAddress!, ldb: inputs, beta: 1, c: dws.baseAddress!, ldc: inputs, pool: pool)
                    }
                }
            }
        }
        return dx
    }
}
