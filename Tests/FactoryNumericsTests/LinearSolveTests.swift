import FactoryCore
import Testing

@testable import FactoryNumerics

@Suite struct LinearSolveTests {
    /// The Cholesky solve the linear surrogate used before LAPACK, as the reference.
    static func referenceCholesky(_ a: [[Double]], _ b: [Double]) -> [Double] {
        let n = b.count
        var l = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n {
            for j in 0...i {
                var sum = a[i][j]
                for k in 0..<j { sum -= l[i][k] * l[j][k] }
                l[i][j] = i == j ? sum.squareRoot() : sum / l[j][j]
            }
        }
        var z = [Double](repeating: 0, count: n)
        for i in 0..<n { z[i] = (b[i] - (0..<i).reduce(0) { $0 + l[i][$1] * z[$1] }) / l[i][i] }
        var x = [Double](repeating: 0, count: n)
        for i in (0..<n).reversed() { x[i] = (z[i] - ((i + 1)..<n).reduce(0) { $0 + l[$1][i] * x[$1] }) / l[i][i] }
        return x
    }

    @Test func choleskyMatchesTheReference() throws {
        var choices = SeededChoices(RandomStream(seed: 3))
        for n in 1...6 {
            let m = (0..<(n + 3)).map { _ in (0..<n).map { _ in choices.double(in: -1...1) } }
            let a = (0..<n).map { i in (0..<n).map { j in m.reduce(0) { $0 + $1[i] * $1[j] } + (i == j ? 0.1 : 0) } }
            let b = (0..<n).map { _ in choices.double(in: -2...2) }
            let x = try LinearSolve.symmetricPositiveDefinite(a, b)
            for (got, want) in zip(x, Self.referenceCholesky(a, b)) { #expect(abs(got - want) <= 1e-12 * max(1, abs(want))) }
        }
    }

    @Test func indefiniteMatrixIsRefused() {
        #expect { try LinearSolve.symmetricPositiveDefinite([[1, 2], [2, 1]], [1, 1]) } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "regression design" && message.contains("the normal equations are singular")
        }
    }

    @Test func qrSolvesAnExactSystemAndInvertsR() {
        let rows: [[Double]] = [[2, 1], [1, 3], [0, 1]]
        let qr = LinearSolve.QR(rows: rows)
        let x = qr.solveR(qr.transposedQ(times: rows.map { 3 * $0[0] - 2 * $0[1] }))
        #expect(abs(x[0] - 3) < 1e-12 && abs(x[1] + 2) < 1e-12)
        let inverse = qr.inverseR()
        let r = [[qr.diagonal(0), 0], [0, qr.diagonal(1)]]
        #expect(abs(inverse[0][0] * r[0][0] - 1) < 1e-12 && abs(inverse[1][1] * r[1][1] - 1) < 1e-12)
        #expect(inverse[1][0] == 0)
    }
}
