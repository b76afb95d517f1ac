import FactoryCore

/// The feasible mixtures `{x : 0 ≤ x_j ≤ cap_j, Σ x_j = 1}` and Euclidean projection onto them.
public struct CappedSimplex: Sendable, Equatable {
    public let caps: [Double]

    /// Requires one finite, non-negative cap per domain (caps above 1 count as 1) that together
    /// leave room for a whole mixture (`Σ min(cap, 1) ≥ 1`).
    public init(caps: [Double], domains: [String]) throws {
        guard caps.count == domains.count else {
            throw FactoryError.invalidArgument(name: "domain caps", message: "\(caps.count) caps for \(domains.count) domains")
        }
        if let bad = caps.indices.first(where: { !(caps[$0] >= 0) || !caps[$0].isFinite }) {
            throw FactoryError.invalidArgument(
                name: "cap of domain '\(domains[bad])'", message: "must be a finite, non-negative number, got \(caps[bad])")
        }
        let capped = caps.map { min(max($0, 0), 1) }
        guard capped.reduce(0, +) >= 1 - 1e-12 else {
            throw FactoryError.invalidArgument(
                name: "domain caps",
                message:
                    "they allow at most \(capped.reduce(0, +)) of the mixture (\(zip(domains, capped).map { "\($0) ≤ \($1)" }.joined(separator: ", "))); raise max epochs or lower the token budget"
            )
        }
        self.caps = capped
    }

    /// The closest feasible point to `v`: `x_j = clamp(v_j − τ, 0, cap_j)` with τ found by bisection.
    public func project(_ v: [Double]) -> [Double] {
        func total(_ tau: Double) -> Double { zip(v, caps).reduce(0) { $0 + min(max($1.0 - tau, 0), $1.1) } }
        var low = (v.min() ?? 0) - 1
        var high = v.max() ?? 0
        for _ in 0..<200 {
            let middle = (low + high) / 2
            if total(middle) > 1 { low = middle } else { high = middle }
        }
        let tau = (low + high) / 2
        var x = zip(v, caps).map { min(max($0 - tau, 0), $1) }
        // Spread the bisection's last rounding over the coordinates strictly inside their bounds.
        let free = x.indices.filter { x[$0] > 0 && x[$0] < caps[$0] }
        let residual = 1 - x.reduce(0, +)
        if !free.isEmpty { for j in free { x[j] = min(max(x[j] + residual / Double(free.count), 0), caps[j]) } }
        return x
    }

    /// Coordinates at a bound: `x_j = 0` or `x_j = cap_j`.
    public func activeConstraints(_ x: [Double], tolerance: Double = 1e-7) -> (atZero: [Int], atCap: [Int]) {
        (x.indices.filter { x[$0] <= tolerance }, x.indices.filter { caps[$0] < 1 && x[$0] >= caps[$0] - tolerance })
    }
}
