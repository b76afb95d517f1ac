import FactoryCore
import Foundation

/// The log-linear mixing law `y = c + k · exp(Σ t_j x_j)`, fitted with a Huber loss (robust to
/// a few diverged proxy runs) from several starting points; the best start by training loss wins.
public struct LogLinearSurrogate: Codable, Sendable, Equatable {
    public var c: Double
    public var k: Double
    public var t: [Double]

    public func predict(_ x: [Double]) -> Double {
        c + k * exp(zip(t, x).reduce(0) { $0 + $1.0 * $1.1 })
    }

    /// Fits with Adam on the Huber loss of standardized targets.
    ///
    /// - Parameters:
    ///   - starts: independent initializations (deterministic by `seed`).
    ///   - huberDelta: the Huber threshold in units of the targets' robust standard deviation.
    public static func fit(
        _ x: [[Double]], _ y: [Double], starts: Int = 6, iterations: Int = 3000, huberDelta: Double = 0.5, seed: UInt64 = 0
    ) -> LogLinearSurrogate {
        // Standardize robustly (median and scaled median absolute deviation), so that one wild
        // target neither shifts the scale nor the Huber threshold.
        let mean = median(y)
        let std = max(1.4826 * median(y.map { abs($0 - mean) }), 1e-12)
        let z = y.map { ($0 - mean) / std }
        let p = x.first?.count ?? 0
        let stream = RandomStream(seed: seed).split("loglinear")
        var best: (loss: Double, parameters: [Double])?
        for start in 0..<starts {
            // parameters: [c, k, t_1 … t_p], in standardized units.
            var parameters = [0.0, start % 2 == 0 ? 1.0 : -1.0]
            parameters += (0..<p).map { Double(stream.split(start).normal(at: UInt64($0))) * (start == 0 ? 0 : 1) }
            var firstMoment = [Double](repeating: 0, count: parameters.count)
            var secondMoment = firstMoment
            for iteration in 1...iterations {
                let (_, gradient) = lossAndGradient(parameters, x, z, delta: huberDelta)
                let rate = 0.05 * (1 - Double(iteration) / Double(iterations + 1))
                for i in parameters.indices {
                    firstMoment[i] = 0.9 * firstMoment[i] + 0.1 * gradient[i]
                    secondMoment[i] = 0.999 * secondMoment[i] + 0.001 * gradient[i] * gradient[i]
                    let mHat = firstMoment[i] / (1 - pow(0.9, Double(iteration)))
                    let vHat = secondMoment[i] / (1 - pow(0.999, Double(iteration)))
                    parameters[i] -= rate * mHat / (vHat.squareRoot() + 1e-8)
                }
            }
            let (loss, _) = lossAndGradient(parameters, x, z, delta: huberDelta)
            if loss.isFinite, best.map({ loss < $0.loss }) ?? true { best = (loss, parameters) }
        }
        let parameters = best?.parameters ?? [0, 0] + [Double](repeating: 0, count: p)
        return LogLinearSurrogate(c: mean + std * parameters[0], k: std * parameters[1], t: Array(parameters.dropFirst(2)))
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// Mean Huber loss and its gradient for standardized targets.
    private static func lossAndGradient(_ parameters: [Double], _ x: [[Double]], _ z: [Double], delta: Double) -> (Double, [Double]) {
        var loss = 0.0
        var gradient = [Double](repeating: 0, count: parameters.count)
        for (row, target) in zip(x, z) {
            var exponent = 0.0
            for j in row.indices { exponent += parameters[j + 2] * row[j] }
            let e = exp(min(exponent, 50))
            let residual = parameters[0] + parameters[1] * e - target
            let absolute = abs(residual)
            loss += absolute <= delta ? 0.5 * residual * residual : delta * (absolute - 0.5 * delta)
            let slope = absolute <= delta ? residual : delta * (residual > 0 ? 1 : -1)
            gradient[0] += slope
            gradient[1] += slope * e
            for j in row.indices { gradient[j + 2] += slope * parameters[1] * e * row[j] }
        }
        let n = Double(z.count)
        return (loss / n, gradient.map { $0 / n })
    }
}
