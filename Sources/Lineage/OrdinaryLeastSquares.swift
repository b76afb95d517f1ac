import FactoryCore
import Foundation

/// An ordinary-least-squares fit y ≈ Xβ, solved by Householder QR (no normal equations), with
/// classical standard errors and t-based confidence intervals.
public struct OrdinaryLeastSquares: Hashable, Sendable {
    /// β, one per column of X.
    public let coefficients: [Double]
    /// The standard error of each coefficient: sqrt(s² · [(XᵀX)⁻¹]_jj), s² = RSS / (n − p).
    public let standardErrors: [Double]
    /// The residual sum of squares.
    public let residualSumOfSquares: Double
    /// The total sum of squares around the mean of y.
    public let totalSumOfSquares: Double
    /// n − p.
    public let residualDegreesOfFreedom: Int
    /// The number of observations.
    public let observationCount: Int

    /// 1 − RSS/TSS; NaN when y is constant.
    public var rSquared: Double {
        totalSumOfSquares > 0 ? 1 - residualSumOfSquares / totalSumOfSquares : .nan
    }

    /// Fits `design` (n rows of p values; include a column of ones for an intercept) to `response`.
    ///
    /// - Parameter columnNames: names of the columns, for errors.
    /// - Throws: `FactoryError.invalidArgument` when n ≤ p (no residual degrees of freedom) or
    ///   a column is a linear combination of the others.
    public init(design: [[Double]], response: [Double], columnNames: [String]) throws {
        let n = response.count
        let p = columnNames.count
        guard design.count == n, design.allSatisfy({ $0.count == p }) else {
            throw FactoryError.invalidArgument(name: "design", message: "expected \(n) rows of \(p) values")
        }
        guard n > p else {
            throw FactoryError.invalidArgument(
                name: "design", message: "\(n) observations for \(p) parameters; need more runs than parameters to estimate the error")
        }
        // Column-major copy of X, and y, transformed in place by Householder reflections.
        var a = (0..<p).map { column in design.map { $0[column] } }
        var qty = response
        let scale = a.map { column in column.reduce(0) { max($0, abs($1)) } }
        for k in 0..<p {
            var norm = 0.0
            for i in k..<n { norm += a[k][i] * a[k][i] }
            norm = norm.squareRoot()
            guard norm > 1e-10 * max(scale[k], 1e-300) else {
                throw FactoryError.invalidArgument(
                    name: "design", message: "'\(columnNames[k])' is a linear combination of the terms before it (or constant); it cannot be estimated from these runs")
            }
            let alpha = a[k][k] > 0 ? -norm : norm
            var v = [Double](repeating: 0, count: n)
            for i in k..<n { v[i] = a[k][i] }
            v[k] -= alpha
            let vv = v[k..<n].reduce(0) { $0 + $1 * $1 }
            for j in k..<p {
                var dot = 0.0
                for i in k..<n { dot += v[i] * a[j][i] }
                let factor = 2 * dot / vv
                for i in k..<n { a[j][i] -= factor * v[i] }
            }
            var dot = 0.0
            for i in k..<n { dot += v[i] * qty[i] }
            let factor = 2 * dot / vv
            for i in k..<n { qty[i] -= factor * v[i] }
        }
        // R is a[j][i] for i ≤ j. Back-substitute β and invert R.
        var beta = [Double](repeating: 0, count: p)
        for i in stride(from: p - 1, through: 0, by: -1) {
            var sum = qty[i]
            for j in (i + 1)..<p { sum -= a[j][i] * beta[j] }
            beta[i] = sum / a[i][i]
        }
        var rInverse = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        for column in 0..<p {
            rInverse[column][column] = 1 / a[column][column]
            for i in stride(from: column - 1, through: 0, by: -1) {
                var sum = 0.0
                for j in (i + 1)...column { sum += a[j][i] * rInverse[j][column] }
                rInverse[i][column] = -sum / a[i][i]
            }
        }
        var rss = 0.0
        for (row, y) in zip(design, response) {
            let fitted = zip(row, beta).reduce(0) { $0 + $1.0 * $1.1 }
            rss += (y - fitted) * (y - fitted)
        }
        let mean = response.reduce(0, +) / Double(n)
        let tss = response.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let sigma2 = rss / Double(n - p)
        // (XᵀX)⁻¹ = R⁻¹R⁻ᵀ, so its diagonal is the squared norm of each row of R⁻¹.
        standardErrors = (0..<p).map { i in (sigma2 * rInverse[i].reduce(0) { $0 + $1 * $1 }).squareRoot() }
        coefficients = beta
        residualSumOfSquares = rss
        totalSumOfSquares = tss
        residualDegreesOfFreedom = n - p
        observationCount = n
    }

    /// The two-sided confidence interval of coefficient `index` at `level` (e.g. 0.95).
    public func confidenceInterval(_ index: Int, level: Double = 0.95) throws -> ClosedRange<Double> {
        let t = try StudentT.quantile(0.5 + level / 2, degreesOfFreedom: Double(residualDegreesOfFreedom))
        let half = t * standardErrors[index]
        return (coefficients[index] - half)...(coefficients[index] + half)
    }
}
