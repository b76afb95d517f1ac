import CBLAS
import FactoryCore

/// Single-precision matrix products through the platform BLAS (`cblas_sgemm`).
///
/// Determinism: OpenBLAS's own threading gives results that change with its thread count, and
/// even a single-threaded call rounds differently for different row counts. So the BLAS runs
/// single-threaded, and a product is cut into row tiles of C whose boundaries depend only on the
/// matrix shape; the tiles run in parallel on a `ThreadPool`. The same shapes and inputs give
/// bitwise-identical results for every thread count.
public enum GEMM {
    /// Pins the BLAS to one thread, once per process, before the first product.
    private static let singleThreadedBLAS: Void = BLASLibrary.setThreadCount(1)

    /// Rows of C one tile holds at least (or all of them). Each tile is its own BLAS call and packs
    /// all of op(B) again, so a tile needs this many rows to keep the packing small beside its
    /// multiply-adds: measured with OpenBLAS 0.3.21 on one core, 64-row tiles ran the training
    /// shapes at 61–83 GFLOP/s, 256-row tiles at 79–95, one call at 84–98.
    static let minimumTileRows = 256
    /// At most this many tiles per product.
    static let maximumTiles = 16

    /// Rows of C per tile for a product with `m` rows: a function of the shape only.
    static func rowsPerTile(m: Int) -> Int {
        let rows = max(minimumTileRows, (m + maximumTiles - 1) / maximumTiles)
        // Whole multiples of 16 rows keep OpenBLAS on its full-width micro-kernels.
        return min(m, (rows + 15) / 16 * 16)
    }

    /// `C = alpha · op(A) · op(B) + beta · C` for row-major matrices, where `op(X)` is `X` or `Xᵀ`.
    ///
    /// `op(A)` is `m × k`, `op(B)` is `k × n`, `C` is `m × n`; `lda`, `ldb`, `ldc` are the row
    /// strides of the matrices as stored.
    public static func multiply(
        m: Int, n: Int, k: Int,
        alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, transposeA: Bool = false,
        b: UnsafePointer<Float>, ldb: Int, transposeB: Bool = false,
        beta: Float = 0,
        c: UnsafeMutablePointer<Float>, ldc: Int,
        pool: ThreadPool = .machineWide
    ) {
        guard m > 0, n > 0 else { return }
        _ = singleThreadedBLAS
        let rows = rowsPerTile(m: m)
        let operands = SendableOperands(a: a, b: b, c: c)
        pool.parallelFor(count: m, grain: rows) { tile in
            // Row i of op(A) starts at row i of A, or at column i of A when A is transposed.
            let aTile = operands.a + (transposeA ? tile.lowerBound : tile.lowerBound * lda)
            cblas_sgemm(
                CblasRowMajor,
                transposeA ? CblasTrans : CblasNoTrans,
                transposeB ? CblasTrans : CblasNoTrans,
                Int32(tile.count), Int32(n), Int32(k),
                alpha, aTile, Int32(lda), operands.b, Int32(ldb),
                beta, operands.c + tile.lowerBound * ldc, Int32(ldc))
        }
    }

    /// `op(A) · op(B)` for rank-2 tensors, checking shapes.
    public static func multiply(
        _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false, pool: ThreadPool = .machineWide
    ) throws -> Tensor {
        let (m, k) = try dimensions(of: a, name: "A", transposed: transposeA)
        let (kB, n) = try dimensions(of: b, name: "B", transposed: transposeB)
        guard k == kB else {
            throw FactoryError.invalidArgument(
                name: "matrix product shapes",
                message: "op(A) is \(m)×\(k) but op(B) is \(kB)×\(n); inner dimensions must match")
        }
        var c = try Tensor(shape: [m, n])
        guard k > 0 else { return c }
        a.withUnsafeBufferPointer { aBuffer in
            b.withUnsafeBufferPointer { bBuffer in
                c.withUnsafeMutableBufferPointer { cBuffer in
                    multiply(
                        m: m, n: n, k: k,
                        a: aBuffer.baseAddress!, lda: a.shape[1], transposeA: transposeA,
                        b: bBuffer.baseAddress!, ldb: b.shape[1], transposeB: transposeB,
                        c: cBuffer.baseAddress!, ldc: n, pool: pool)
                }
            }
        }
        return c
    }

    private static func dimensions(of matrix: Tensor, name: String, transposed: Bool) throws -> (Int, Int) {
        guard matrix.rank == 2 else {
            throw FactoryError.invalidArgument(
                name: "matrix \(name)", message: "expected a rank-2 tensor, got shape \(matrix.shape)")
        }
        return transposed ? (matrix.shape[1], matrix.shape[0]) : (matrix.shape[0], matrix.shape[1])
    }
}

/// The operand pointers of one product, shared by the tiles that write disjoint rows of C.
private struct SendableOperands: @unchecked Sendable {
    let a: UnsafePointer<Float>
    let b: UnsafePointer<Float>
    let c: UnsafeMutablePointer<Float>
}
