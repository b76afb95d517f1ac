import FactoryCore
import Foundation

/// The L2-regularized logistic loss of a labelled sparse data set and its gradient, evaluated in
/// parallel with a result that does not depend on the thread count.
///
/// For parameters `θ = (w, b)`, examples `x_i` with targets `t_i ∈ [0, 1]` and sample weights
/// `s_i` (total `S`), the loss is
/// `(1/S) Σ s_i [softplus(z_i) − t_i z_i] + (λ/2)‖w‖²` with `z_i = w·x_i + b` (the bias is not
/// regularized). Targets between 0 and 1 are soft labels (the cross-entropy with a score).
///
/// Margins are computed per example and the gradient per feature, over a column-major copy of
/// the data with examples in order, so every sum has a fixed order: the result is bitwise the
/// same on 1 or 16 threads.
struct LogisticObjective: Sendable {
    /// The number of weights (the bias is one more parameter, stored last).
    let dimension: Int
    /// The regularization strength λ.
    let l2: Double
    private let rows: [SparseVector]
    private let targets: [Double]
    private let sampleWeights: [Double]
    private let totalWeight: Double
    private let columnStarts: [Int]
    private let columnRows: [Int32]
    private let columnValues: [Float]
    private let pool: ThreadPool

    /// - Precondition: every index is below `dimension`, targets are in [0, 1], weights are positive.
    init(examples: [SparseVector], targets: [Double], sampleWeights: [Double], dimension: Int, l2: Double, pool: ThreadPool) {
        precondition(examples.count == targets.count && examples.count == sampleWeights.count, "one target and weight per example")
        precondition(!examples.isEmpty, "at least one example")
        self.dimension = dimension
        self.l2 = l2
        self.rows = examples
        self.targets = targets
        self.sampleWeights = sampleWeights
        self.totalWeight = sampleWeights.reduce(0, +)
        self.pool = pool
        var starts = [Int](repeating: 0, count: dimension + 1)
        for example in examples {
            for index in example.indices { starts[Int(index) + 1] += 1 }
        }
        for feature in 0..<dimension { starts[feature + 1] += starts[feature] }
        var fill = starts
        var columnRows = [Int32](repeating: 0, count: starts[dimension])
        var columnValues = [Float](repeating: 0, count: starts[dimension])
        for (row, example) in examples.enumerated() {
            for (index, value) in zip(example.indices, example.values) {
                let slot = fill[Int(index)]
                columnRows[slot] = Int32(row)
                columnValues[slot] = value
                fill[Int(index)] += 1
            }
        }
        self.columnStarts = starts
        self.columnRows = columnRows
        self.columnValues = columnValues
    }

    /// The number of parameters: the weights and the bias.
    var parameterCount: Int { dimension + 1 }

    /// The loss and its gradient at `parameters` (weights, then the bias).
    func evaluate(_ parameters: [Double]) -> (value: Double, gradient: [Double]) {
        precondition(parameters.count == parameterCount, "expected \(parameterCount) parameters")
        let margins = self.margins(parameters)
        var loss = 0.0
        var biasGradient = 0.0
        var residuals = [Double](repeating: 0, count: rows.count)
        for row in 0..<rows.count {
            let margin = margins[row]
            loss += sampleWeights[row] * (Self.softplus(margin) - targets[row] * margin)
            residuals[row] = sampleWeights[row] * (Self.sigmoid(margin) - targets[row]) / totalWeight
            biasGradient += residuals[row]
        }
        loss /= totalWeight
        var gradient = [Double](repeating: 0, count: parameterCount)
        parameters.withUnsafeBufferPointer { parameters in
            residuals.withUnsafeBufferPointer { residuals in
                gradient.withUnsafeMutableBufferPointer { gradient in
                    nonisolated(unsafe) let parameters = parameters
                    nonisolated(unsafe) let residuals = residuals
                    nonisolated(unsafe) let output = gradient
                    pool.parallelFor(count: dimension, grain: 4096) { features in
                        for feature in features {
                            var sum = 0.0
                            for slot in columnStarts[feature]..<columnStarts[feature + 1] {
                                sum += Double(columnValues[slot]) * residuals[Int(columnRows[slot])]
                            }
                            output[feature] = sum + l2 * parameters[feature]
                        }
                    }
                }
            }
        }
        var penalty = 0.0
        for feature in 0..<dimension { penalty += parameters[feature] * parameters[feature] }
        gradient[dimension] = biasGradient
        return (loss + 0.5 * l2 * penalty, gradient)
    }

    /// `w·x_i + b` for every example.
    func margins(_ parameters: [Double]) -> [Double] {
        var margins = [Double](repeating: 0, count: rows.count)
        parameters.withUnsafeBufferPointer { parameters in
            margins.withUnsafeMutableBufferPointer { margins in
                nonisolated(unsafe) let parameters = parameters
                nonisolated(unsafe) let output = margins
                pool.parallelFor(count: rows.count, grain: 64) { examples in
                    for row in examples { output[row] = rows[row].dot(parameters) + parameters[dimension] }
                }
            }
        }
        return margins
    }

    /// `log(1 + e^z)` without overflow.
    static func softplus(_ z: Double) -> Double {
        z > 0 ? z + Foundation.log1p(Foundation.exp(-z)) : Foundation.log1p(Foundation.exp(z))
    }

    /// `1 / (1 + e^−z)` without overflow.
    static func sigmoid(_ z: Double) -> Double {
        z >= 0 ? 1 / (1 + Foundation.exp(-z)) : Foundation.exp(z) / (1 + Foundation.exp(z))
    }
}
