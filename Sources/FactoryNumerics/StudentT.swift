import FactoryCore
import Foundation

/// Student's t distribution: the cumulative distribution function through the regularized
/// incomplete beta function, and its quantile by bisection.
enum StudentT {
    /// P(T ≤ t) for `degreesOfFreedom` > 0.
    static func cdf(_ t: Double, degreesOfFreedom df: Double) -> Double {
        let tail = 0.5 * IncompleteBeta.regularized(x: df / (df + t * t), a: df / 2, b: 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// The t with P(T ≤ t) = `probability`, for 0 < probability < 1; accurate to about 1e-12.
    static func quantile(_ probability: Double, degreesOfFreedom df: Double) throws -> Double {
        guard probability > 0, probability < 1 else {
            throw FactoryError.invalidArgument(name: "probability", message: "\(probability) is not in (0, 1)")
        }
        guard df > 0 else {
            throw FactoryError.invalidArgument(name: "degrees of freedom", message: "\(df) must be positive")
        }
        if probability < 0.5 { return -(try quantile(1 - probability, degreesOfFreedom: df)) }
        var low = 0.0
        var high = 1.0
        while cdf(high, degreesOfFreedom: df) < probability { high *= 2 }
        for _ in 0..<200 {
            let middle = (low + high) / 2
            if cdf(middle, degreesOfFreedom: df) < probability { low = middle } else { high = middle }
            if high - low <= 1e-13 * max(1, high) { break }
        }
        return (low + high) / 2
    }
}

/// The regularized incomplete beta function I_x(a, b), by Lentz's continued fraction.
enum IncompleteBeta {
    static func regularized(x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use symmetry otherwise.
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * continuedFraction(x: x, a: a, b: b) / a
        }
        return 1 - exp(logFront) * continuedFraction(x: 1 - x, a: b, b: a) / b
    }

    private static func continuedFraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var result = d
        for m in 1...10_000 {
            let m = Double(m)
            let m2 = 2 * m
            var numerator = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            result *= d * c
            numerator = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            result *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return result
    }
}
