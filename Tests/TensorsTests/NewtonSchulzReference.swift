import Foundation

/// A dense matrix in Double for the Newton–Schulz tests, with the reference linear algebra they
/// check against: products, transposes, and a singular value decomposition by one-sided Jacobi
/// rotations.
struct ReferenceMatrix: Equatable {
    let rows: Int
    let columns: Int
    var values: [Double]

    init(rows: Int, columns: Int, values: [Double]) {
        precondition(values.count == rows * columns)
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    subscript(row: Int, column: Int) -> Double {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    static func identity(_ size: Int) -> ReferenceMatrix {
        var result = ReferenceMatrix(rows: size, columns: size, values: .init(repeating: 0, count: size * size))
        for i in 0..<size { result[i, i] = 1 }
        return result
    }

    var transposed: ReferenceMatrix {
        var result = ReferenceMatrix(rows: columns, columns: rows, values: .init(repeating: 0, count: values.count))
        for row in 0..<rows { for column in 0..<columns { result[column, row] = self[row, column] } }
        return result
    }

    var frobeniusNorm: Double { values.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    static func * (a: ReferenceMatrix, b: ReferenceMatrix) -> ReferenceMatrix {
        precondition(a.columns == b.rows)
        var result = ReferenceMatrix(rows: a.rows, columns: b.columns, values: .init(repeating: 0, count: a.rows * b.columns))
        for i in 0..<a.rows {
            for k in 0..<a.columns {
                let left = a[i, k]
                for j in 0..<b.columns { result[i, j] += left * b[k, j] }
            }
        }
        return result
    }

    static func * (scale: Double, a: ReferenceMatrix) -> ReferenceMatrix {
        ReferenceMatrix(rows: a.rows, columns: a.columns, values: a.values.map { scale * $0 })
    }

    static func + (a: ReferenceMatrix, b: ReferenceMatrix) -> ReferenceMatrix {
        ReferenceMatrix(rows: a.rows, columns: a.columns, values: zip(a.values, b.values).map(+))
    }

    static func - (a: ReferenceMatrix, b: ReferenceMatrix) -> ReferenceMatrix {
        ReferenceMatrix(rows: a.rows, columns: a.columns, values: zip(a.values, b.values).map(-))
    }

    /// `A = U Σ Vᵀ` with `U` `rows × k`, `V` `columns × k`, `k = min(rows, columns)`, by one-sided
    /// (Hestenes) Jacobi rotations on the columns of the tall orientation until every pair of
    /// columns is orthogonal to 1e-15 relative.
    func singularValueDecomposition() -> (u: ReferenceMatrix, sigma: [Double], v: ReferenceMatrix) {
        if rows < columns {
            let (u, sigma, v) = transposed.singularValueDecomposition()
            return (v, sigma, u)
        }
        var a = self
        var v = ReferenceMatrix(rows: columns, columns: columns, values: .init(repeating: 0, count: columns * columns))
        for i in 0..<columns { v[i, i] = 1 }
        func rotate(_ m: inout ReferenceMatrix, _ p: Int, _ q: Int, _ c: Double, _ s: Double) {
            for i in 0..<m.rows {
                let (x, y) = (m[i, p], m[i, q])
                m[i, p] = c * x - s * y
                m[i, q] = s * x + c * y
            }
        }
        for _ in 0..<100 {
            var rotated = false
            for p in 0..<columns {
                for q in (p + 1)..<columns {
                    var (alpha, beta, gamma) = (0.0, 0.0, 0.0)
                    for i in 0..<rows {
                        alpha += a[i, p] * a[i, p]
                        beta += a[i, q] * a[i, q]
                        gamma += a[i, p] * a[i, q]
                    }
                    guard abs(gamma) > 1e-15 * (alpha * beta).squareRoot() else { continue }
                    rotated = true
                    let zeta = (beta - alpha) / (2 * gamma)
                    let t = (zeta >= 0 ? 1.0 : -1.0) / (abs(zeta) + (1 + zeta * zeta).squareRoot())
                    let c = 1 / (1 + t * t).squareRoot()
                    rotate(&a, p, q, c, c * t)
                    rotate(&v, p, q, c, c * t)
                }
            }
            if !rotated { break }
        }
        var sigma = [Double](repeating: 0, count: columns)
        for j in 0..<columns {
            sigma[j] = (0..<rows).reduce(0) { $0 + a[$1, j] * a[$1, j] }.squareRoot()
            for i in 0..<rows { a[i, j] /= max(sigma[j], .leastNormalMagnitude) }
        }
        return (a, sigma, v)
    }

    /// `U diag(values) Vᵀ`.
    static func compose(u: ReferenceMatrix, _ values: [Double], v: ReferenceMatrix) -> ReferenceMatrix {
        var scaled = u
        for i in 0..<u.rows { for j in 0..<u.columns { scaled[i, j] *= values[j] } }
        return scaled * v.transposed
    }
}
