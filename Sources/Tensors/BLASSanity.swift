import FactoryCore

/// A quick check that the linked BLAS computes correct products, run by `factory doctor`.
public enum BLASSanity {
    /// Multiplies small odd-shaped matrices in all four transpose combinations and compares each
    /// against a naive triple loop; throws `missingDependency` naming the fix when they disagree.
    public static func check() throws {
        let (m, n, k) = (3, 5, 7)
        let stream = RandomStream(seed: 1).split("blas-sanity")
        for (transposeA, transposeB) in [(false, false), (true, false), (false, true), (true, true)] {
            let a = try Tensor(shape: transposeA ? [k, m] : [m, k], storage: (0..<m * k).map { stream.uniform(at: UInt64($0)) })
            let b = try Tensor(shape: transposeB ? [n, k] : [k, n], storage: (0..<k * n).map { stream.uniform(at: UInt64(100 + $0)) })
            let product = try GEMM.multiply(a, b, transposeA: transposeA, transposeB: transposeB)
            for i in 0..<m {
                for j in 0..<n {
                    var expected: Float = 0
                    for p in 0..<k {
                        expected += (transposeA ? a[p, i] : a[i, p]) * (transposeB ? b[j, p] : b[p, j])
                    }
                    guard abs(product[i, j] - expected) <= 1e-4 * max(1, abs(expected)) else {
                        throw FactoryError.missingDependency(
                            name: "a working BLAS",
                            hint: "cblas_sgemm returned \(product[i, j]) where \(expected) was expected "
                                + "(transposeA: \(transposeA), transposeB: \(transposeB)); "
                                + "reinstall libopenblas-dev (make setup) or check BLASLibrary.description")
                    }
                }
            }
        }
    }
}
