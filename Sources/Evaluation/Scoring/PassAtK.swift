/// The unbiased estimator of pass@k (Chen et al. 2021, "Evaluating Large Language Models
/// Trained on Code"): with `n` samples of which `c` pass, the probability that at least one of
/// k samples drawn without replacement passes, 1 − C(n − c, k) / C(n, k), computed as the
/// numerically stable product 1 − ∏_{i = n − c + 1}^{n} (1 − k / i) (no large binomials).
public enum PassAtK {
    /// The estimate; 1 when fewer than k samples fail. Requires 0 ≤ c ≤ n and 1 ≤ k ≤ n.
    public static func estimate(samples n: Int, correct c: Int, k: Int) -> Double {
        precondition(n >= 1 && (0...n).contains(c) && (1...n).contains(k), "pass@\(k) of \(c) correct out of \(n)")
        guard c > 0 else { return 0 }
        guard n - c >= k else { return 1 }
        var failAll = 1.0
        for i in (n - c + 1)...n { failAll *= 1 - Double(k) / Double(i) }
        return 1 - failAll
    }
}
