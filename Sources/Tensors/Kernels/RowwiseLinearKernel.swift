import FactoryCore

/// A bias-free linear layer (`y = x · Wᵀ`, `W [out, in]`) whose every output row is bitwise
/// independent of the other rows of `x` and of how many there are: the batch-invariant products
/// of incremental decoding.
///
/// `GEMM` notes that OpenBLAS rounds differently for different row counts, so this kernel does not
/// use it: each output element is one dot product of an input row and a weight row (both
/// contiguous) in a fixed order (two 8-lane accumulators over the input dimension, summed, then
/// the scalar tail). Its value depends only on those two rows, so a row's result is the same
/// decoded alone or in a batch of 16, on any thread count; and a batch of one costs a sixteenth of
/// a batch of 16, which padding rows to a fixed-size BLAS tile would not. Output columns are cut
/// into chunks by the weight's shape only; a weight row stays in cache while every input row
/// meets it.
public enum RowwiseLinearKernel {
    /// Columns per parallel chunk for a weight `[outputs, inputs]`: a function of the shape only.
    static func columnsPerChunk(outputs: Int, inputs: Int) -> Int {
        min(max(outputs, 1), max(16, (1 << 16) / max(inputs, 1)))
    }

    /// `x [.., in]`, `weight [out, in]` → `y [.., out]`.
    public static func forward(_ x: Tensor, weight: Tensor, pool: ThreadPool = .machineWide) throws -> Tensor {
        try ShapeCheck.exact(weight, [weight.shape.first ?? 0, x.shape.last ?? 0], operand: "linear weight")
        let (outputs, inputs) = (weight.shape[0], weight.shape[1])
        let rows = try ShapeCheck.rows(of: x, width: inputs, operand: "linear input")
        var y = try Tensor(shape: Array(x.shape.dropLast()) + [outputs])
        guard rows > 0, outputs > 0 else { return y }
        x.withUnsafeBufferPointer { xs in
            weight.withUnsafeBufferPointer { ws in
                y.withUnsafeMutableBufferPointer { ys in
                    multiply(
                        rows: rows, outputs: outputs, inputs: inputs, x: xs.baseAddress!, weight: ws.baseAddress!,
                        y: ys.baseAddress!, pool: pool)
                }
            }
        }
        return y
    }

    /// `y [rows, outputs] = x [rows, inputs] · weightᵀ` over raw row-major storage (row strides
    /// `inputs` and `outputs`), for callers that slice their own operands (experts of a MoE layer).
    public static func multiply(
        rows: Int, outputs: Int, inputs: Int, x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        y: UnsafeMutablePointer<Float>, pool: ThreadPool
    ) {
        guard rows > 0, outputs > 0 else { return }
        let operands = RowwiseOperands(x: x, weight: weight, y: y)
        pool.parallelFor(count: outputs, grain: columnsPerChunk(outputs: outputs, inputs: inputs)) { columns in
            for column in columns {
                let w = operands.weight + column * inputs
                for row in 0..<rows {
                    operands.y[row * outputs + column] = dot(operands.x + row * inputs, w, count: inputs)
                }
            }
        }
    }

    /// `Σ a[i]·b[i]` in a fixed order.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var (first, second) = (SIMD8<Float>(), SIMD8<Float>())
        let (ra, rb) = (UnsafeRawPointer(a), UnsafeRawPointer(b))
        var i = 0
        while i + 16 <= count {
            first += ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            second +=
                ra.loadUnaligned(fromByteOffset: (i + 8) * 4, as: SIMD8<Float>.self)
                * rb.loadUnaligned(fromByteOffset: (i + 8) * 4, as: SIMD8<Float>.self)
            i += 16
        }
        if i + 8 <= count {
            first += ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        var sum = (first + second).sum()
        while i < count {
            sum += a[i] * b[i]
            i += 1
        }
        return sum
    }
}

/// The operand pointers of one product; chunks write disjoint columns of `y`.
private struct RowwiseOperands: @unchecked Sendable {
    let x: UnsafePointer<Float>
    let weight: UnsafePointer<Float>
    let y: UnsafeMutablePointer<Float>
}
