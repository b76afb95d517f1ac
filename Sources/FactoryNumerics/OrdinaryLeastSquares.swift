import FactoryCore
import Foundation

/// An ordinary-least-squares fit y ≈ Xβ, solved by Householder QR through LAPACK (no normal equations), with
/// classical standard errors and t-based confidence intervals.
public struct OrdinaryLeastSquares: Hashable, Sendable {
    /// β, one per column of X.
    public let coefficients: [Double]
    /// The standard error of each coefficient: sqrt(s² · [(XᵀX)⁻¹]_jj), s² = RSS / (n − p).
    public let standardErrors: [Double]
    /// The residual sum of squares.
    let residualSumOfSquares: Double
    /// The total sum of squares around the mean of y.
    let totalSumOfSquares: Double
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
        // Householder QR of X (LAPACK): R's diagonal is each column's norm orthogonal to the
        // columns before it, so a tiny one marks a column the earlier ones (nearly) span.
        let qr = LinearSolve.QR(rows: design)
        let scale = (0..<p).map { column in design.reduce(0) { max($0, abs($1[column])) } }
        for k in 0..<p where !(abs(qr.diagonal(k)) > 1e-10 * max(scale[k], 1e-300)) {
            throw FactoryError.invalidArgument(
                name: "design",
                message: "'\(columnNames[k])' is a linear combination of the terms before it (or constant); it cannot be estimated from these runs")
        }
        let beta = qr.solveR(qr.transposedQ(times: response))
        let rInverse = qr.inverseR()
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
