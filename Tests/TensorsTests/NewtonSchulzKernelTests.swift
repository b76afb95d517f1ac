import FactoryCore
import Foundation
import Testing

@testable import Tensors

/// Newton–Schulz orthogonalization checked against a singular value decomposition in Double.
///
/// Each quintic step maps every singular value σ of the normalized matrix to
/// p(σ) = 3.4445σ − 4.7750σ³ + 2.0315σ⁵ and keeps the singular vectors, so the kernel's output
/// must equal `U p⁵(Σ / ‖G‖_F) Vᵀ`. The values settle into a cycle within [0.682, 1.134]; after
/// exactly five steps, transients reach 1.2024 (at σ/‖G‖_F ≈ 0.004), and every σ/‖G‖_F ≥ 0.0015
/// ends in [0.68, 1.21]: that is the band checked below.
@Suite struct NewtonSchulzKernelTests {
    static let band = 0.68...1.21

    static func randomMatrix(rows: Int, columns: Int, seed: UInt64) throws -> Tensor {
        let stream = RandomStream(seed: seed).split("newton-schulz")
        return try Tensor(shape: [rows, columns], storage: (0..<(rows * columns)).map { stream.normal(at: UInt64($0)) })
    }

    static func reference(_ tensor: Tensor) -> ReferenceMatrix {
        ReferenceMatrix(rows: tensor.shape[0], columns: tensor.shape[1], values: tensor.storage.map(Double.init))
    }

    /// Five quintic steps on a scalar in Double.
    static func quintic5(_ x: Double) -> Double {
        (0..<5).reduce(x) { y, _ in 3.4445 * y - 4.7750 * y * y * y + 2.0315 * y * y * y * y * y }
    }

    @Test(arguments: [(16, 48), (48, 16), (32, 32), (24, 40), (64, 24), (5, 7)])
    func singularValuesFollowTheQuinticAndLieInTheBand(rows: Int, columns: Int) throws {
        let input = try Self.randomMatrix(rows: rows, columns: columns, seed: UInt64(rows * 100 + columns))
        let output = try NewtonSchulzKernel.orthogonalize(input)
        #expect(output.shape == [rows, columns])

        let g = Self.reference(input)
        let (u, sigma, v) = g.singularValueDecomposition()
        let norm = g.frobeniusNorm + 1e-7
        let normalized = sigma.map { $0 / norm }
        try #require(normalized.min()! >= 0.0015, "this seed's matrix has a singular value too small for five steps")

        // The output is U p⁵(Σ/‖G‖) Vᵀ, element by element.
        let predicted = ReferenceMatrix.compose(u: u, normalized.map(Self.quintic5), v: v)
        let deviation = zip(Self.reference(output).values, predicted.values).map { abs($0 - $1) }.max()!
        #expect(deviation < 2e-4, "\(rows)×\(columns): largest deviation from U p⁵(Σ) Vᵀ is \(deviation)")

        // Its own singular values, from an independent decomposition, lie in the band.
        let outputSigma = Self.reference(output).singularValueDecomposition().sigma
        #expect(outputSigma.allSatisfy(Self.band.contains), "\(rows)×\(columns): singular values \(outputSigma.sorted())")
    }

    /// A square matrix comes out close to its orthogonal polar factor `U Vᵀ`: `X Xᵀ` has its
    /// eigenvalues in band², and `X − U Vᵀ` has spectral norm at most 0.32 (its singular values are
    /// |p⁵(σ) − 1|). Random square matrices often have a singular value below 0.0015·‖G‖_F (48×48
    /// with seed 0 has one at 6e-5), which five steps cannot lift into the band; the seeds here
    /// are ones whose smallest value is above it, and the test checks that premise.
    @Test func squareMatricesComeOutNearlyOrthogonal() throws {
        for (size, seed) in [(8, UInt64(1)), (32, 2), (48, 4)] {
            let input = try Self.randomMatrix(rows: size, columns: size, seed: seed)
            let x = Self.reference(try NewtonSchulzKernel.orthogonalize(input))
            let (u, sigma, v) = Self.reference(input).singularValueDecomposition()
            try #require(sigma.min()! / Self.reference(input).frobeniusNorm >= 0.0015)

            let gram = x * x.transposed
            let gramEigenvalues = gram.singularValueDecomposition().sigma
            #expect(gramEigenvalues.allSatisfy { $0 >= 0.68 * 0.68 && $0 <= 1.21 * 1.21 }, "\(size): eigenvalues of X Xᵀ \(gramEigenvalues.sorted())")

            let polar = u * v.transposed
            let distance = (x - polar).singularValueDecomposition().sigma.max()!
            #expect(distance <= 0.32, "\(size): ‖X − U Vᵀ‖₂ = \(distance)")
            let identityError = (polar * polar.transposed - ReferenceMatrix.identity(size)).values.map(abs).max()!
            #expect(identityError < 1e-9)
        }
    }

    /// A tall matrix is orthogonalized through its transpose: the result is exactly the
    /// transpose of the wide matrix's result.
    @Test func tallMatricesAreTransposed() throws {
        let wide = try Self.randomMatrix(rows: 12, columns: 40, seed: 9)
        let tall = try Tensor(shape: [40, 12], storage: Self.reference(wide).transposed.values.map(Float.init))
        let fromWide = Self.reference(try NewtonSchulzKernel.orthogonalize(wide))
        let fromTall = Self.reference(try NewtonSchulzKernel.orthogonalize(tall))
        #expect(fromTall.rows == 40 && fromTall.columns == 12)
        #expect(fromTall == fromWide.transposed)
    }

    @Test func batchesAreBitwiseIndependentOfThreadCount() throws {
        let matrices = try [(20, 30), (30, 20), (16, 16), (3, 50)].enumerated().map { index, shape in
            try Self.randomMatrix(rows: shape.0, columns: shape.1, seed: UInt64(index))
        }
        let one = try NewtonSchulzKernel.orthogonalize(matrices, pool: ThreadPool(threadCount: 1))
        let three = try NewtonSchulzKernel.orthogonalize(matrices, pool: ThreadPool(threadCount: 3))
        #expect(one == three)
        #expect(one[2] == (try NewtonSchulzKernel.orthogonalize(matrices[2])))
    }

    @Test func zeroStaysZeroAndBadInputIsRejected() throws {
        let zero = try Tensor(shape: [4, 6])
        #expect(try NewtonSchulzKernel.orthogonalize(zero) == zero)
        #expect { try NewtonSchulzKernel.orthogonalize(try Tensor(shape: [2, 3, 4])) } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "Newton–Schulz input" && message.contains("expected a matrix, got shape [2, 3, 4]")
        }
    }
}
