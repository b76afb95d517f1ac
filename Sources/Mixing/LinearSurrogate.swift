import FactoryCore
import FactoryNumerics

/// `y = b + Σ w_j x_j`, fitted by least squares with a small ridge on the weights (mixture
/// weights sum to one, so the intercept and the weights are otherwise collinear).
public struct LinearSurrogate: Codable, Sendable, Equatable {
    public var intercept: Double
    public var weights: [Double]

    public func predict(_ x: [Double]) -> Double {
        zip(weights, x).reduce(intercept) { $0 + $1.0 * $1.1 }
    }

    /// Fits to rows `x` and targets `y`.
    public static func fit(_ x: [[Double]], _ y: [Double], ridge: Double = 1e-6) throws -> LinearSurrogate {
        let p = x.first?.count ?? 0
        let n = Double(x.count)
        // Center so the intercept separates from the weights.
        let means = (0..<p).map { j in x.reduce(0) { $0 + $1[j] } / n }
        let meanY = y.reduce(0, +) / n
        var gram = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        var moment = [Double](repeating: 0, count: p)
        for (row, target) in zip(x, y) {
            for a in 0..<p {
                let da = row[a] - means[a]
                moment[a] += da * (target - meanY)
                for b in 0..<p { gram[a][b] += da * (row[b] - means[b]) }
            }
        }
        let scale = (0..<p).reduce(0) { $0 + gram[$1][$1] } / Double(max(p, 1))
        for a in 0..<p { gram[a][a] += ridge * max(scale, 1e-12) }
        let weights = try LinearSolve.symmetricPositiveDefinite(gram, moment)
        let intercept = meanY - zip(weights, means).reduce(0) { $0 + $1.0 * $1.1 }
        return LinearSurrogate(intercept: intercept, weights: weights)
    }
}
