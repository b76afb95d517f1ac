import FactoryCore
import Testing

@testable import FactoryNumerics

@Suite struct StatisticsTests {
    /// Two-sided 95% critical values from a printed t table (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2).
    @Test(arguments: [(1.0, 12.706), (2.0, 4.303), (4.0, 2.776), (5.0, 2.571), (10.0, 2.228), (30.0, 2.042), (120.0, 1.980)])
    func tQuantilesMatchTheTable(df: Double, tabled: Double) throws {
        #expect(abs(try StudentT.quantile(0.975, degreesOfFreedom: df) - tabled) < 0.0006)
    }

    @Test func tCDFIsSymmetricAndKnownAtOneDegree() {
        // With 1 degree of freedom T is Cauchy: P(T ≤ 1) = 3/4.
        #expect(abs(StudentT.cdf(1, degreesOfFreedom: 1) - 0.75) < 1e-12)
        #expect(abs(StudentT.cdf(-1.3, degreesOfFreedom: 7) + StudentT.cdf(1.3, degreesOfFreedom: 7) - 1) < 1e-12)
        #expect(abs(StudentT.cdf(0, degreesOfFreedom: 3) - 0.5) < 1e-15)
    }

    @Test func simpleRegressionMatchesClosedForm() throws {
        // y = a + b x: b = Sxy / Sxx, a = ȳ − b x̄, se(b) = sqrt(s² / Sxx).
        let x = [1.0, 2, 3, 4, 5, 6]
        let y = [2.1, 3.9, 6.2, 7.8, 10.1, 12.2]
        let fit = try OrdinaryLeastSquares(design: x.map { [1, $0] }, response: y, columnNames: ["1", "x"])
        let xMean = x.reduce(0, +) / 6
        let yMean = y.reduce(0, +) / 6
        let sxx = x.reduce(0) { $0 + ($1 - xMean) * ($1 - xMean) }
        let sxy = zip(x, y).reduce(0) { $0 + ($1.0 - xMean) * ($1.1 - yMean) }
        let b = sxy / sxx
        let a = yMean - b * xMean
        let rss = zip(x, y).reduce(0) { $0 + ($1.1 - a - b * $1.0) * ($1.1 - a - b * $1.0) }
        #expect(abs(fit.coefficients[1] - b) < 1e-12)
        #expect(abs(fit.coefficients[0] - a) < 1e-12)
        #expect(abs(fit.standardErrors[1] - (rss / 4 / sxx).squareRoot()) < 1e-12)
        #expect(abs(fit.standardErrors[0] - (rss / 4 * (1.0 / 6 + xMean * xMean / sxx)).squareRoot()) < 1e-12)
        #expect(fit.residualDegreesOfFreedom == 4)
    }

    @Test func collinearAndSaturatedDesignsAreRefused() {
        #expect {
            try OrdinaryLeastSquares(
                design: [[1, 2, 4], [1, 3, 6], [1, 4, 8], [1, 5, 10]], response: [1, 2, 3, 4], columnNames: ["1", "a", "b"])
        } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "design" && message.contains("'b' is a linear combination of the terms before it")
        }
        #expect {
            try OrdinaryLeastSquares(design: [[1, 0], [1, 1]], response: [1, 2], columnNames: ["1", "a"])
        } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "design" && message.contains("2 observations for 2 parameters")
        }
    }

    @Test func spearmanHandlesTies() {
        #expect(RankCorrelation.ranks([10, 20, 20, 5]) == [2, 3.5, 3.5, 1])
        #expect(abs(RankCorrelation.spearman([1, 2, 3, 4], [10, 20, 30, 40]) - 1) < 1e-12)
        #expect(abs(RankCorrelation.spearman([1, 2, 3, 4], [4, 3, 2, 1]) + 1) < 1e-12)
    }
}
