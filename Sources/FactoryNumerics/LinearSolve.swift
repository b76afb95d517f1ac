import CLAPACK
import FactoryCore

/// Dense linear algebra for small systems, through the LAPACK of the linked BLAS library
/// (OpenBLAS on Linux, Accelerate on macOS). Matrices are given as rows.
public enum LinearSolve {
    /// Solves `A x = b` for symmetric positive-definite `A` by Cholesky factorization (DPOSV).
    ///
    /// - Throws: `FactoryError.invalidArgument` when `A` is not positive definite.
    public static func symmetricPositiveDefinite(_ a: [[Double]], _ b: [Double]) throws -> [Double] {
        let n = b.count
        precondition(a.count == n && a.allSatisfy { $0.count == n }, "A must be \(n)×\(n)")
        guard n > 0 else { return [] }
        // Column-major storage of a symmetric matrix is its row-major storage.
        var matrix = a.flatMap { $0 }
        var x = b
        let info = factory_dposv(Int32(n), 1, &matrix, &x)
        guard info == 0 else {
            throw FactoryError.invalidArgument(name: "regression design", message: "the normal equations are singular")
        }
        return x
    }

    /// The Householder QR factorization of a tall matrix (DGEQRF), kept factored.
    struct QR {
        /// Rows and columns of the factored matrix.
        let rowCount: Int, columnCount: Int
        private var factored: [Double]  // column-major, R on and above the diagonal
        private var tau: [Double]

        /// Factors `rows` (m rows of n values, m ≥ n).
        init(rows: [[Double]]) {
            rowCount = rows.count
            columnCount = rows.first?.count ?? 0
            precondition(rowCount >= columnCount, "QR needs at least as many rows as columns")
            factored = (0..<columnCount).flatMap { column in rows.map { $0[column] } }
            tau = [Double](repeating: 0, count: columnCount)
            let (m, n) = (Int32(rowCount), Int32(columnCount))
            var size = 0.0
            _ = factory_dgeqrf(m, n, &factored, &tau, &size, -1)
            var work = [Double](repeating: 0, count: max(Int(size), 1))
            let info = factory_dgeqrf(m, n, &factored, &tau, &work, Int32(work.count))
            precondition(info == 0, "DGEQRF failed with INFO \(info)")
        }

        /// R's diagonal entry `index`: up to sign, the norm of column `index` orthogonal to the
        /// columns before it.
        func diagonal(_ index: Int) -> Double { factored[index * rowCount + index] }

        /// Qᵀ `vector` (`rowCount` values).
        func transposedQ(times vector: [Double]) -> [Double] {
            precondition(vector.count == rowCount, "expected \(rowCount) values")
            var c = vector
            let (m, k) = (Int32(rowCount), Int32(columnCount))
            var size = 0.0
            _ = factory_dormqr_left_transposed(m, 1, k, factored, tau, &c, &size, -1)
            var work = [Double](repeating: 0, count: max(Int(size), 1))
            let info = factory_dormqr_left_transposed(m, 1, k, factored, tau, &c, &work, Int32(work.count))
            precondition(info == 0, "DORMQR failed with INFO \(info)")
            return c
        }

        /// The `x` with R x = the first `columnCount` values of `vector` (DTRTRS); R must be
        /// nonsingular.
        func solveR(_ vector: [Double]) -> [Double] {
            var x = Array(vector.prefix(columnCount))
            let info = factory_dtrtrs_upper(Int32(columnCount), 1, factored, Int32(rowCount), &x, Int32(max(columnCount, 1)))
            precondition(info == 0, "DTRTRS failed with INFO \(info)")
            return x
        }

        /// R⁻¹ as rows (DTRTRI); R must be nonsingular.
        func inverseR() -> [[Double]] {
            let p = columnCount
            var r = [Double](repeating: 0, count: p * p)
            for column in 0..<p {
                for row in 0...column { r[column * p + row] = factored[column * rowCount + row] }
            }
            let info = factory_dtrtri_upper(Int32(p), &r, Int32(max(p, 1)))
            precondition(info == 0, "DTRTRI failed with INFO \(info)")
            return (0..<p).map { row in (0..<p).map { column in r[column * p + row] } }
        }
    }
}
