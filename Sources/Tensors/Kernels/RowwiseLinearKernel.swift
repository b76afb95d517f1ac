import CKernels
import FactoryCore

/// A bias-free linear layer (`y = x · Wᵀ`, `W [out, in]`) whose every output row is bitwise
/// independent of the other rows of `x` and of how many there are: the batch-invariant products
/// of incremental decoding.
///
/// `GEMM` notes that OpenBLAS rounds differently for different row counts, so this kernel does not
/// use it: each output element is one dot product of an input row and a weight row (both
/// contiguous) in a fixed order (`dot`: a 4-lane accumulator, its lanes summed, then the scalar
/// tail), whether it is computed alone or in a register block with its neighbours. Its value
/// depends only on those two rows, so a row's result is the same decoded alone or in a batch of
/// 16, on any thread count; and a batch of one costs a sixteenth of a batch of 16, which padding
/// rows to a fixed-size BLAS tile would not. A weight row stays in cache while every input row
/// meets it.
///
/// Two arithmetics compute the dot products (`Arithmetic`): on x86-64 CPUs with AVX2 and FMA the
/// C kernel of `CKernels` (8 fused lanes), elsewhere the portable Swift loop (4 lanes, separate
/// multiply and add). The choice is made once per process from the CPU alone, never from the
/// batch or the thread count, so results are bitwise stable on one machine; two machines of which
/// only one has AVX2 and FMA differ in the last bits.
public enum RowwiseLinearKernel {
    /// How the dot products are computed; every element of one product takes the same one.
    enum Arithmetic: Sendable {
        /// `dot`'s order: a 4-lane accumulator of separate products and sums (any CPU).
        case portable
        /// `factory_rowwise_multiply_fma`'s order: an 8-lane fused multiply-add accumulator.
        case fusedAVX2

        /// The fastest this CPU runs (`__builtin_cpu_supports`), fixed for the process.
        static let machine: Arithmetic = factory_rowwise_fma_available() != 0 ? .fusedAVX2 : .portable
    }

    /// Columns per parallel chunk for `outputs` columns: a function of the shape only (about 16
    /// chunks, whole register blocks of 4), so even the narrow projections of a decode step spread
    /// over the threads. Chunking never changes a result: every element takes `dot`'s order.
    static func columnsPerChunk(outputs: Int) -> Int {
        max(16, (outputs + 63) / 64 * 4)
    }

    /// `x [.., in]`, `weight [out, in]` → `y [.., out]`.
    public static func forward(_ x: Tensor, weight: Tensor, pool: ThreadPool = .machineWide) throws -> Tensor {
        try forward(x, weight: weight, pool: pool, arithmetic: .machine)
    }

    /// `forward` with a chosen arithmetic (tests check both against references).
    static func forward(_ x: Tensor, weight: Tensor, pool: ThreadPool, arithmetic: Arithmetic) throws -> Tensor {
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
                        y: ys.baseAddress!, pool: pool, arithmetic: arithmetic)
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
        multiply(rows: rows, outputs: outputs, inputs: inputs, x: x, weight: weight, y: y, pool: pool, arithmetic: .machine)
    }

    /// `multiply` with a chosen arithmetic.
    static func multiply(
        rows: Int, outputs: Int, inputs: Int, x: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        y: UnsafeMutablePointer<Float>, pool: ThreadPool, arithmetic: Arithmetic
    ) {
        guard rows > 0, outputs > 0 else { return }
        let operands = RowwiseOperands(x: x, weight: weight, y: y)
        pool.parallelFor(count: outputs, grain: columnsPerChunk(outputs: outputs)) { columns in
            let (x, y) = (operands.x, operands.y)
            if arithmetic == .fusedAVX2 {
                factory_rowwise_multiply_fma(rows, outputs, inputs, x, operands.weight, y, columns.lowerBound, columns.upperBound)
                return
            }
            var column = columns.lowerBound
            // Blocks of 2 rows × 4 columns share their loads; the rest go one element at a time.
            // Every element takes the same arithmetic either way (`dot`'s order).
            while column + 4 <= columns.upperBound {
                let w = operands.weight + column * inputs
                var row = 0
                while row + 2 <= rows {
                    let sums = block(x + row * inputs, w, inputs: inputs)
                    for c in 0..<4 {
                        y[row * outputs + column + c] = sums[c]
                        y[(row + 1) * outputs + column + c] = sums[4 + c]
                    }
                    row += 2
                }
                if row < rows {
                    for c in 0..<4 { y[row * outputs + column + c] = dot(x + row * inputs, w + c * inputs, count: inputs) }
                }
                column += 4
            }
            while column < columns.upperBound {
                for row in 0..<rows {
                    y[row * outputs + column] = dot(x + row * inputs, operands.weight + column * inputs, count: inputs)
                }
                column += 1
            }
        }
    }

    /// `Σ a[i]·b[i]` in the kernel's fixed order: a 4-lane accumulator over whole groups of 4,
    /// its lanes summed as `(l0 + l1) + (l2 + l3)`, then the remaining products in order.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var accumulator = SIMD4<Float>()
        var i = 0
        while i + 4 <= count {
            accumulator += load(a + i) * load(b + i)
            i += 4
        }
        return tail(lanes(accumulator), a, b, from: i, count: count)
    }

    /// The dot products of rows `x`, `x + inputs` with weight rows `w … w + 3·inputs`, each in
    /// `dot`'s order: `[row 0 × columns 0…3, row 1 × columns 0…3]`.
    @inline(__always)
    static func block(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, inputs: Int) -> SIMD8<Float> {
        let (x1, w1, w2, w3) = (x + inputs, w + inputs, w + 2 * inputs, w + 3 * inputs)
        var (a00, a01, a02, a03) = (SIMD4<Float>(), SIMD4<Float>(), SIMD4<Float>(), SIMD4<Float>())
        var (a10, a11, a12, a13) = (SIMD4<Float>(), SIMD4<Float>(), SIMD4<Float>(), SIMD4<Float>())
        var i = 0
        while i + 4 <= inputs {
            let (r0, r1) = (load(x + i), load(x1 + i))
            let (c0, c1, c2, c3) = (load(w + i), load(w1 + i), load(w2 + i), load(w3 + i))
            a00 += r0 * c0
            a01 += r0 * c1
            a02 += r0 * c2
            a03 += r0 * c3
            a10 += r1 * c0
            a11 += r1 * c1
            a12 += r1 * c2
            a13 += r1 * c3
            i += 4
        }
        return SIMD8(
            tail(lanes(a00), x, w, from: i, count: inputs), tail(lanes(a01), x, w1, from: i, count: inputs),
            tail(lanes(a02), x, w2, from: i, count: inputs), tail(lanes(a03), x, w3, from: i, count: inputs),
            tail(lanes(a10), x1, w, from: i, count: inputs), tail(lanes(a11), x1, w1, from: i, count: inputs),
            tail(lanes(a12), x1, w2, from: i, count: inputs), tail(lanes(a13), x1, w3, from: i, count: inputs))
    }

    @inline(__always)
    private static func load(_ pointer: UnsafePointer<Float>) -> SIMD4<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD4<Float>.self)
    }

    @inline(__always)
    private static func lanes(_ v: SIMD4<Float>) -> Float {
        (v[0] + v[1]) + (v[2] + v[3])
    }

    @inline(__always)
    private static func tail(_ sum: Float, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, from start: Int, count: Int) -> Float {
        var sum = sum
        for i in start..<count { sum += a[i] * b[i] }
        return sum
    }
}

/// The operand pointers of one product; chunks write disjoint columns of `y`.
private struct RowwiseOperands: @unchecked Sendable {
    let x: UnsafePointer<Float>
    let weight: UnsafePointer<Float>
    let y: UnsafeMutablePointer<Float>
}
