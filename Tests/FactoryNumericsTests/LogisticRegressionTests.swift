import FactoryCore
import Foundation
import Testing

@testable import FactoryNumerics

/// A small random sparse problem with soft targets and sample weights.
private struct RandomProblem {
    let examples: [SparseVector]
    let targets: [Double]
    let weights: [Double]
    let dimension: Int

    init(count: Int, dimension: Int, seed: UInt64) {
        var choices = SeededChoices(RandomStream(seed: seed).split("problem"))
        let truth = (0..<dimension).map { _ in choices.double(in: -2...2) }
        var examples = [SparseVector]()
        var targets = [Double]()
        var weights = [Double]()
        for _ in 0..<count {
            let indices = Set((0..<choices.int(in: 2...6)).map { _ in Int32(choices.int(below: dimension)) }).sorted()
            let values = indices.map { _ in Float(choices.double(in: -1...1)) }
            let vector = SparseVector(indices: indices, values: values)
            let margin = zip(indices, values).reduce(0.3) { $0 + truth[Int($1.0)] * Double($1.1) }
            targets.append(choices.chance(0.5) ? (choices.unit() < 1 / (1 + exp(-margin)) ? 1 : 0) : 1 / (1 + exp(-margin)))
            weights.append(choices.double(in: 0.5...2))
            examples.append(vector)
        }
        self.examples = examples
        self.targets = targets
        self.weights = weights
        self.dimension = dimension
    }

    func objective(l2: Double, pool: ThreadPool = .serial) -> LogisticObjective {
        LogisticObjective(examples: examples, targets: targets, sampleWeights: weights, dimension: dimension, l2: l2, pool: pool)
    }

    /// Independent reference: dense Newton's method with Gaussian elimination on the same loss.
    func newtonFit(l2: Double) -> [Double] {
        let size = dimension + 1
        let dense: [[Double]] = examples.map { example in
            var row = [Double](repeating: 0, count: size)
            for (index, value) in zip(example.indices, example.values) { row[Int(index)] = Double(value) }
            row[dimension] = 1
            return row
        }
        let total = weights.reduce(0, +)
        var theta = [Double](repeating: 0, count: size)
        for _ in 0..<50 {
            var gradient = [Double](repeating: 0, count: size)
            var hessian = [[Double]](repeating: [Double](repeating: 0, count: size), count: size)
            for (row, x) in dense.enumerated() {
                let margin = zip(x, theta).reduce(0) { $0 + $1.0 * $1.1 }
                let p = 1 / (1 + exp(-margin))
                for j in 0..<size {
                    gradient[j] += weights[row] * (p - targets[row]) * x[j] / total
                    for k in 0..<size { hessian[j][k] += weights[row] * p * (1 - p) * x[j] * x[k] / total }
                }
            }
            for j in 0..<dimension {
                gradient[j] += l2 * theta[j]
                hessian[j][j] += l2
            }
            let step = solve(hessian, gradient)
            for j in 0..<size { theta[j] -= step[j] }
        }
        return theta
    }

    private func solve(_ matrix: [[Double]], _ vector: [Double]) -> [Double] {
        var a = matrix
        var b = vector
        let n = b.count
        for column in 0..<n {
            let pivot = (column..<n).max { abs(a[$0][column]) < abs(a[$1][column]) }!
            a.swapAt(column, pivot)
            b.swapAt(column, pivot)
            for row in (column + 1)..<n {
                let factor = a[row][column] / a[column][column]
                for k in column..<n { a[row][k] -= factor * a[column][k] }
                b[row] -= factor * b[column]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            let tail = ((row + 1)..<n).reduce(0) { $0 + a[row][$1] * x[$1] }
            x[row] = (b[row] - tail) / a[row][row]
        }
        return x
    }
}

@Suite struct LogisticRegressionTests {
    @Test func gradientMatchesFiniteDifferences() {
        let problem = RandomProblem(count: 40, dimension: 12, seed: 3)
        let objective = problem.objective(l2: 0.05)
        var choices = SeededChoices(RandomStream(seed: 9))
        let point = (0..<objective.parameterCount).map { _ in choices.double(in: -1...1) }
        let gradient = objective.evaluate(point).gradient
        let h = 1e-5
        for index in 0..<objective.parameterCount {
            var plus = point
            var minus = point
            plus[index] += h
            minus[index] -= h
            let numeric = (objective.evaluate(plus).value - objective.evaluate(minus).value) / (2 * h)
            #expect(abs(numeric - gradient[index]) < 1e-8, "parameter \(index): analytic \(gradient[index]), numeric \(numeric)")
        }
    }

    @Test func fitMatchesADenseNewtonReference() throws {
        let problem = RandomProblem(count: 120, dimension: 10, seed: 5)
        let l2 = 0.01
        let fit = try LogisticRegressionTrainer(l2: l2, maxIterations: 500, pool: .serial).fit(
            examples: problem.examples, targets: problem.targets, sampleWeights: problem.weights, dimension: problem.dimension)
        let reference = problem.newtonFit(l2: l2)
        #expect(fit.converged)
        for index in 0..<problem.dimension {
            #expect(abs(fit.model.weights[index] - reference[index]) < 1e-4, "weight \(index)")
        }
        #expect(abs(fit.model.bias - reference[problem.dimension]) < 1e-4)
        #expect(abs(fit.loss - problem.objective(l2: l2).evaluate(reference).value) < 1e-9)
    }

    @Test func fitIsBitwiseTheSameOnAnyThreadCount() throws {
        let problem = RandomProblem(count: 300, dimension: 9000, seed: 11)
        let fits = try [1, 2, 5].map {
            try LogisticRegressionTrainer(l2: 1e-3, maxIterations: 40, pool: ThreadPool(threadCount: $0)).fit(
                examples: problem.examples, targets: problem.targets, dimension: problem.dimension)
        }
        #expect(fits[0].model == fits[1].model)
        #expect(fits[0].model == fits[2].model)
    }

    @Test func badTrainingInputIsNamed() {
        let trainer = LogisticRegressionTrainer(pool: .serial)
        let example = SparseVector(indices: [3], values: [1])
        #expect(throws: FactoryError.invalidArgument(name: "targets[0]", message: "must be in [0, 1], found 2.0")) {
            try trainer.fit(examples: [example], targets: [2], dimension: 4)
        }
        #expect(throws: FactoryError.invalidArgument(name: "examples[0]", message: "has a feature index outside 0..<3")) {
            try trainer.fit(examples: [example], targets: [1], dimension: 3)
        }
    }
}

@Suite struct ROCAUCTests {
    @Test func handCases() throws {
        #expect(try ROCAUC.compute(scores: [0.1, 0.4, 0.35, 0.8], labels: [false, false, true, true]) == 0.75)
        // A positive tied with a negative counts one half: (0.5 + 1 + 1 + 1) / 4.
        #expect(try ROCAUC.compute(scores: [0.5, 0.5, 0.2, 0.9], labels: [true, false, false, true]) == 0.875)
        #expect(try ROCAUC.compute(scores: [1, 2, 3], labels: [false, true, true]) == 1)
        #expect { try ROCAUC.compute(scores: [1, 2], labels: [true, true]) } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "labels" && message.contains("need both classes, found 2 positive and 0 negative")
        }
    }

    @Test func matchesCountingPairs() throws {
        var choices = SeededChoices(RandomStream(seed: 2))
        let scores = (0..<200).map { _ in Double(choices.int(below: 20)) }
        let labels = (0..<200).map { _ in choices.chance(0.4) }
        var wins = 0.0
        var pairs = 0.0
        for i in scores.indices where labels[i] {
            for j in scores.indices where !labels[j] {
                pairs += 1
                wins += scores[i] > scores[j] ? 1 : (scores[i] == scores[j] ? 0.5 : 0)
            }
        }
        #expect(abs(try ROCAUC.compute(scores: scores, labels: labels) - wins / pairs) < 1e-12)
    }
}
