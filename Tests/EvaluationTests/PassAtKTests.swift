import Testing

@testable import Evaluation

/// The pass@k estimator against the exact combinatorial formula and against counting every
/// draw of k samples.
@Suite struct PassAtKTests {
    /// C(n, k) exactly, for small n.
    static func binomial(_ n: Int, _ k: Int) -> Int {
        guard k >= 0, k <= n else { return 0 }
        var result = 1
        for i in 0..<k { result = result * (n - i) / (i + 1) }
        return result
    }

    /// The share of k-subsets of n samples (the first c correct) holding a correct one.
    static func bruteForce(n: Int, c: Int, k: Int) -> Double {
        var hits = 0
        var total = 0
        for mask in 0..<(1 << n) where mask.nonzeroBitCount == k {
            total += 1
            if mask & ((1 << c) - 1) != 0 { hits += 1 }
        }
        return Double(hits) / Double(total)
    }

    @Test func matchesTheCombinatorialFormulaAndEveryDraw() {
        for n in 1...12 {
            for c in 0...n {
                for k in 1...n {
                    let estimate = PassAtK.estimate(samples: n, correct: c, k: k)
                    let exact = 1 - Double(Self.binomial(n - c, k)) / Double(Self.binomial(n, k))
                    #expect(abs(estimate - exact) <= 1e-12, "n \(n) c \(c) k \(k)")
                    #expect(abs(estimate - Self.bruteForce(n: n, c: c, k: k)) <= 1e-12, "n \(n) c \(c) k \(k)")
                }
            }
        }
    }

    @Test func staysFiniteAndExactWhereBinomialsOverflow() {
        // C(1000, 500) is about 2.7e299 and C(2000, 1000) overflows a Double; the product form
        // does not care.
        #expect(PassAtK.estimate(samples: 2000, correct: 0, k: 1000) == 0)
        #expect(PassAtK.estimate(samples: 2000, correct: 1001, k: 1000) == 1)
        let one = PassAtK.estimate(samples: 2000, correct: 1, k: 1000)
        #expect(abs(one - 0.5) <= 1e-12)
        #expect(abs(PassAtK.estimate(samples: 200, correct: 37, k: 1) - 37.0 / 200) <= 1e-15)
    }
}
