import FactoryCore
import Foundation

/// Dirichlet draws from a counter-based stream: Gamma variates by Marsaglia and Tsang's method
/// (with the `U^{1/α}` boost for α < 1), normalized.
public struct DirichletSampler: Sendable {
    let stream: RandomStream

    public init(stream: RandomStream) { self.stream = stream }

    /// One draw with concentration vector `alpha` (all positive); draw `index` is reproducible.
    public func sample(alpha: [Double], index: Int) -> [Double] {
        var source = stream.split(index)
        let gammas = alpha.map { gamma(shape: $0, using: &source) }
        let total = gammas.reduce(0, +)
        guard total > 0 else { return alpha.map { $0 / alpha.reduce(0, +) } }
        return gammas.map { $0 / total }
    }

    private func gamma(shape: Double, using source: inout RandomStream) -> Double {
        if shape < 1 {
            let boost = pow(uniformOpen(&source), 1 / shape)
            return gamma(shape: shape + 1, using: &source) * boost
        }
        let d = shape - 1.0 / 3
        let c = 1 / (9 * d).squareRoot()
        while true {
            let z = Double(source.nextNormal())
            let v = pow(1 + c * z, 3)
            guard v > 0 else { continue }
            let u = uniformOpen(&source)
            if log(u) < 0.5 * z * z + d - d * v + d * log(v) { return d * v }
        }
    }

    /// A uniform in (0, 1).
    private func uniformOpen(_ source: inout RandomStream) -> Double {
        (Double(source.next() >> 11) + 0.5) * 0x1p-53
    }
}
