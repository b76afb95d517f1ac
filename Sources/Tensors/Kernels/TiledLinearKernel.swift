import CBLAS
import FactoryCore

/// A bias-free linear layer (`y = x · Wᵀ`, `W [out, in]`) whose every output row is bitwise
/// independent of the other rows of `x` and of how many there are: the batch-invariant products
/// of incremental decoding.
///
/// `GEMM` notes that OpenBLAS rounds differently for different row counts. Here every BLAS call
/// has exactly `tileRows` rows (a last, partial tile is padded with zero rows in a scratch
/// buffer), and the output columns are cut into chunks whose boundaries depend only on the
/// weight's shape. So a row's result depends on its own values and the weight alone: the same
/// whether it is decoded alone or in a batch of 16, on any thread count.
public enum TiledLinearKernel {
    /// Rows of every BLAS call.
    public static let tileRows = 16

    /// Columns per chunk for a weight `[outputs, inputs]`: a function of the shape only, a
    /// multiple of 16, sized so that a chunk amortizes the call overhead.
    static func columnsPerChunk(outputs: Int, inputs: Int) -> Int {
        let byWork = (1 << 18) / (tileRows * max(inputs, 1))
        return min(max(outputs, 1), max(64, (byWork + 15) / 16 * 16))
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
        guard inputs > 0 else {
            y.update(repeating: 0, count: rows * outputs)
            return
        }
        GEMM.pinSingleThreadedBLAS()
        let chunk = columnsPerChunk(outputs: outputs, inputs: inputs)
        let rowTiles = (rows + tileRows - 1) / tileRows
        let columnChunks = (outputs + chunk - 1) / chunk
        let operands = TiledOperands(x: x, weight: weight, y: y)
        pool.parallelFor(count: rowTiles * columnChunks, grain: 1) { tasks in
            var paddedInput: [Float] = []
            var paddedOutput: [Float] = []
            for task in tasks {
                let (tile, columnChunk) = (task / columnChunks, task % columnChunks)
                let firstRow = tile * tileRows
                let tileCount = min(tileRows, rows - firstRow)
                let firstColumn = columnChunk * chunk
                let width = min(chunk, outputs - firstColumn)
                let b = operands.weight + firstColumn * inputs
                if tileCount == tileRows {
                    gemm(
                        a: operands.x + firstRow * inputs, b: b, c: operands.y + firstRow * outputs + firstColumn,
                        ldc: outputs, n: width, k: inputs)
                    continue
                }
                if paddedInput.isEmpty {
                    paddedInput = [Float](repeating: 0, count: tileRows * inputs)
                    paddedOutput = [Float](repeating: 0, count: tileRows * chunk)
                }
                paddedInput.withUnsafeMutableBufferPointer { pa in
                    paddedOutput.withUnsafeMutableBufferPointer { pc in
                        pa.baseAddress!.update(from: operands.x + firstRow * inputs, count: tileCount * inputs)
                        (pa.baseAddress! + tileCount * inputs).update(repeating: 0, count: (tileRows - tileCount) * inputs)
                        gemm(a: pa.baseAddress!, b: b, c: pc.baseAddress!, ldc: width, n: width, k: inputs)
                        for r in 0..<tileCount {
                            (operands.y + (firstRow + r) * outputs + firstColumn).update(from: pc.baseAddress! + r * width, count: width)
                        }
                    }
                }
            }
        }
    }

    /// One `tileRows × n` product `C = A · Bᵀ` with `A` row stride `k`, `B [n, k]`.
    private static func gemm(a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int, n: Int, k: Int) {
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(tileRows), Int32(n), Int32(k),
            1, a, Int32(k), b, Int32(k), 0, c, Int32(ldc))
    }
}

/// The operand pointers of one tiled product; tasks write disjoint blocks of `y`.
private struct TiledOperands: @unchecked Sendable {
    let x: UnsafePointer<Float>
    let weight: UnsafePointer<Float>
    let y: UnsafeMutablePointer<Float>
}
