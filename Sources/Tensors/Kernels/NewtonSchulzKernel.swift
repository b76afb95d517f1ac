import FactoryCore

/// Approximate orthogonalization of a matrix by the quintic Newton–Schulz iteration (the
/// "zeroth power" that Muon applies to its momentum).
///
/// With `G = U Σ Vᵀ`, the iteration starts from `X = G / (‖G‖_F + ε)` (so every singular value
/// is at most 1) and repeats `X ← a·X + (b·A + c·A²)·X` with `A = X Xᵀ`. Each step maps every
/// singular value `σ` to `p(σ) = a·σ + b·σ³ + c·σ⁵` and leaves the singular vectors alone, so the
/// result is `U p⁵(Σ/‖G‖_F) Vᵀ`. Muon's coefficients (3.4445, −4.7750, 2.0315) maximize the slope
/// at zero rather than converge to 1: the values settle into a cycle within about [0.68, 1.13],
/// and after exactly five steps every `σ/‖G‖_F ≥ 0.0015` lands in [0.68, 1.21].
///
/// The iteration runs on the wide orientation (rows ≤ columns), so a tall matrix is transposed
/// first and the result transposed back: `A` is then the smaller Gram matrix. All products go
/// through `GEMM`, whose tiles depend only on the shapes, so results are bitwise reproducible.
public enum NewtonSchulzKernel {
    /// The polynomial `p(σ) = a·σ + b·σ³ + c·σ⁵` applied at every step.
    public struct Coefficients: Sendable, Equatable {
        /// The coefficients of σ, σ³ and σ⁵.
        public var a: Float
        public var b: Float
        public var c: Float

        /// Coefficients of a quintic step.
        public init(a: Float, b: Float, c: Float) {
            self.a = a
            self.b = b
            self.c = c
        }

        /// Muon's quintic: (3.4445, −4.7750, 2.0315).
        public static let muon = Coefficients(a: 3.4445, b: -4.7750, c: 2.0315)
    }

    /// The iteration's settings.
    public struct Settings: Sendable, Equatable {
        /// Newton–Schulz steps.
        public var steps: Int
        /// The quintic applied at every step.
        public var coefficients: Coefficients
        /// Added to the Frobenius norm before dividing, so a zero matrix stays zero.
        public var epsilon: Float

        /// Settings of the iteration.
        public init(steps: Int = 5, coefficients: Coefficients = .muon, epsilon: Float = 1e-7) {
            self.steps = steps
            self.coefficients = coefficients
            self.epsilon = epsilon
        }

        /// Muon's: five quintic steps, ε = 1e-7.
        public static let muon = Settings()
    }

    /// The orthogonalized `matrix` (rank 2), computed on `pool`.
    public static func orthogonalize(_ matrix: Tensor, settings: Settings = .muon, pool: ThreadPool = .serial) throws -> Tensor {
        guard matrix.rank == 2 else {
            throw FactoryError.invalidArgument(name: "Newton–Schulz input", message: "expected a matrix, got shape \(matrix.shape)")
        }
        guard settings.steps >= 0 else {
            throw FactoryError.invalidArgument(name: "Newton–Schulz steps", message: "must not be negative, got \(settings.steps)")
        }
        let (rows, columns) = (matrix.shape[0], matrix.shape[1])
        guard rows > 0, columns > 0 else { return matrix }
        let tall = rows > columns
        var x = tall ? try transposed(matrix) : matrix
        let norm = ReductionKernel.sumOfSquares(x, pool: pool).squareRoot()
        ReductionKernel.scale(&x, by: Float(1 / (norm + Double(settings.epsilon))), pool: pool)
        let (m, n) = (min(rows, columns), max(rows, columns))
        var gram = try Tensor(shape: [m, m])
        var next = x
        for _ in 0..<settings.steps {
            step(x: x, into: &next, gram: &gram, m: m, n: n, coefficients: settings.coefficients, pool: pool)
            swap(&x, &next)
        }
        return tall ? try transposed(x) : x
    }

    /// Orthogonalizes every matrix of `matrices`, several at once on `pool`, each one on a single
    /// thread: the results do not depend on `pool`'s thread count.
    public static func orthogonalize(_ matrices: [Tensor], settings: Settings = .muon, pool: ThreadPool) throws -> [Tensor] {
        let results = pool.parallelReduce(
            count: matrices.count, grain: 1, initial: [Result<Tensor, any Error>](),
            chunk: { range in range.map { index in Result { try orthogonalize(matrices[index], settings: settings, pool: .serial) } } },
            combine: +)
        return try results.map { try $0.get() }
    }

    /// `next = a·x + (b·A + c·A²)·x` with `A = x xᵀ`, for a wide `m × n` matrix `x`.
    private static func step(
        x: Tensor, into next: inout Tensor, gram: inout Tensor, m: Int, n: Int, coefficients: Coefficients, pool: ThreadPool
    ) {
        x.withUnsafeBufferPointer { xs in
            let x = xs.baseAddress!
            gram.withUnsafeMutableBufferPointer { gs in
                let a = gs.baseAddress!
                GEMM.multiply(m: m, n: m, k: n, a: x, lda: n, b: x, ldb: n, transposeB: true, c: a, ldc: m, pool: pool)
                // B = b·A + c·A·A, built in place of a copy of A.
                var polynomial = [Float](UnsafeBufferPointer(gs))
                polynomial.withUnsafeMutableBufferPointer { bs in
                    GEMM.multiply(
                        m: m, n: m, k: m, alpha: coefficients.c, a: a, lda: m, b: a, ldb: m,
                        beta: coefficients.b, c: bs.baseAddress!, ldc: m, pool: pool)
                    next.withUnsafeMutableBufferPointer { ns in
                        // next = B·x + a·x, with next holding x on entry.
                        ns.baseAddress!.update(from: x, count: m * n)
                        GEMM.multiply(
                            m: m, n: n, k: m, a: bs.baseAddress!, lda: m, b: x, ldb: n,
                            beta: coefficients.a, c: ns.baseAddress!, ldc: n, pool: pool)
                    }
                }
            }
        }
    }

    /// The transpose of a matrix.
    private static func transposed(_ matrix: Tensor) throws -> Tensor {
        let (rows, columns) = (matrix.shape[0], matrix.shape[1])
        var storage = [Float](repeating: 0, count: matrix.count)
        matrix.withUnsafeBufferPointer { source in
            for row in 0..<rows {
                for column in 0..<columns { storage[column * rows + row] = source[row * columns + column] }
            }
        }
        return try Tensor(shape: [columns, rows], storage: storage)
    }
}
