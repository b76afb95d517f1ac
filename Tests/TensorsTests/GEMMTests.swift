import FactoryCore
import Testing

@testable import Tensors

@Suite struct GEMMTests {
    static let shapes: [(m: Int, n: Int, k: Int)] = [(1, 1, 1), (3, 5, 7), (65, 33, 129), (2, 1, 64), (17, 64, 1)]

    static func random(_ shape: [Int], _ label: String) throws -> Tensor {
        let stream = RandomStream(seed: 11).split(label)
        return try Tensor(shape: shape, storage: (0..<shape.reduce(1, *)).map { stream.normal(at: UInt64($0)) })
    }

    /// The reference: a naive triple loop in Double.
    static func naive(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int) -> [Double] {
        var out = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k {
                    sum += Double(transposeA ? a[p, i] : a[i, p]) * Double(transposeB ? b[j, p] : b[p, j])
                }
                out[i * n + j] = sum
            }
        }
        return out
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func matchesNaiveTripleLoop(transposeA: Bool, transposeB: Bool) throws {
        for (m, n, k) in Self.shapes {
            let a = try Self.random(transposeA ? [k, m] : [m, k], "a\(m)x\(k)")
            let b = try Self.random(transposeB ? [n, k] : [k, n], "b\(k)x\(n)")
            let c = try GEMM.multiply(a, b, transposeA: transposeA, transposeB: transposeB)
            #expect(c.shape == [m, n])
            let expected = Self.naive(a, b, transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k)
            for index in 0..<m * n {
                let tolerance = 1e-5 * Double(k).squareRoot() * max(1, abs(expected[index]))
                #expect(abs(Double(c.storage[index]) - expected[index]) <= tolerance, "\(m)×\(n)×\(k) element \(index)")
            }
        }
    }

    @Test func alphaBetaAndStridesAccumulate() throws {
        let (m, n, k) = (4, 3, 5)
        let a = try Self.random([m, k], "alpha-a")
        let b = try Self.random([k, n], "alpha-b")
        // C is the left 3 columns of a 4 × 6 buffer (ldc = 6); the other columns must stay put.
        var c = [Float](repeating: 1, count: m * 6)
        a.withUnsafeBufferPointer { aBuffer in
            b.withUnsafeBufferPointer { bBuffer in
                GEMM.multiply(
                    m: m, n: n, k: k, alpha: 2, a: aBuffer.baseAddress!, lda: k, b: bBuffer.baseAddress!, ldb: n,
                    beta: 0.5, c: &c, ldc: 6)
            }
        }
        let product = Self.naive(a, b, transposeA: false, transposeB: false, m: m, n: n, k: k)
        for i in 0..<m {
            for j in 0..<6 {
                let expected = j < n ? 2 * product[i * n + j] + 0.5 : 1
                #expect(abs(Double(c[i * 6 + j]) - expected) < 1e-4)
            }
        }
    }

    @Test func mismatchedShapesAreRejected() throws {
        let a = try Tensor(shape: [2, 3])
        let b = try Tensor(shape: [4, 2])
        #expect { try GEMM.multiply(a, b) } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "matrix product shapes" && message.contains("op(A) is 2×3 but op(B) is 4×2")
        }
        #expect { try GEMM.multiply(try Tensor(shape: [6]), b) } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "matrix A" && message.contains("got shape [6]")
        }
    }

    @Test func blasSanityPasses() throws {
        try BLASSanity.check()
    }

    @Test(arguments: [false, true])
    func resultsAreIdenticalFor1And2And7Threads(transposeA: Bool) throws {
        let (m, n, k) = (1500, 190, 300)
        let a = try Self.random(transposeA ? [k, m] : [m, k], "threads-a")
        let b = try Self.random([k, n], "threads-b")
        #expect(GEMM.rowsPerTile(m: m) < m, "the product must span several tiles")
        let results = try [1, 2, 7].map {
            try GEMM.multiply(a, b, transposeA: transposeA, pool: ThreadPool(threadCount: $0)).storage
        }
        #expect(zip(results[0], results[1]).filter { $0 != $1 }.count == 0)
        #expect(zip(results[0], results[2]).filter { $0 != $1 }.count == 0)
    }

    @Test func tilesDependOnlyOnShape() {
        #expect(GEMM.rowsPerTile(m: 1) == 1)
        #expect(GEMM.rowsPerTile(m: 1024) == 256)
        #expect(GEMM.rowsPerTile(m: 8192) == 512)
        #expect(GEMM.rowsPerTile(m: 100_000) % 16 == 0)
        #expect((100_000 + GEMM.rowsPerTile(m: 100_000) - 1) / GEMM.rowsPerTile(m: 100_000) <= GEMM.maximumTiles)
    }
}
