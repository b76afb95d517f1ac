import FactoryCore

/// A fitted binary logistic regression: `P(y = 1 | x) = σ(w·x + b)`.
public struct LogisticRegression: Equatable, Sendable {
    /// One weight per feature.
    public var weights: [Double]
    /// The intercept.
    public var bias: Double

    /// A model with these parameters.
    public init(weights: [Double], bias: Double) {
        self.weights = weights
        self.bias = bias
    }

    /// The number of features.
    public var dimension: Int { weights.count }

    /// The margin `w·x + b` (summed in index order).
    public func margin(_ features: SparseVector) -> Double {
        weights.withUnsafeBufferPointer { features.dot($0) } + bias
    }

    /// The probability of the positive class.
    public func probability(_ features: SparseVector) -> Double {
        LogisticObjective.sigmoid(margin(features))
    }
}

/// Fits ``LogisticRegression`` by full-batch L-BFGS on the L2-regularized (soft-label) logistic
/// loss; see ``LogisticObjective`` for the loss and why the result is the same on any number of
/// threads.
public struct LogisticRegressionTrainer: Sendable {
    /// The L2 strength λ on the weights (not the bias).
    public var l2: Double
    /// L-BFGS iterations at most.
    public var maxIterations: Int
    /// Threads for the margin and gradient passes.
    public var pool: ThreadPool

    /// A trainer; the defaults suit unit-length hashed features.
    public init(l2: Double = 1e-4, maxIterations: Int = 300, pool: ThreadPool = .machineWide) {
        self.l2 = l2
        self.maxIterations = maxIterations
        self.pool = pool
    }

    /// What a fit returns besides the model.
    public struct Fit: Sendable {
        /// The fitted model.
        public var model: LogisticRegression
        /// The regularized training loss at the end.
        public var loss: Double
        /// L-BFGS iterations run.
        public var iterations: Int
        /// Whether a tolerance stopped the optimizer (rather than the iteration limit).
        public var converged: Bool
    }

    /// Fits a model to `examples` with `targets` in [0, 1] (hard labels or scores) and optional
    /// positive `sampleWeights` (default 1 each), starting from zero.
    ///
    /// - Throws: ``FactoryError/invalidArgument(name:message:)`` for an empty set, a target
    ///   outside [0, 1], a non-positive weight or a feature index outside `dimension`.
    public func fit(
        examples: [SparseVector], targets: [Double], sampleWeights: [Double]? = nil, dimension: Int
    ) throws -> Fit {
        guard !examples.isEmpty, examples.count == targets.count else {
            throw FactoryError.invalidArgument(name: "examples", message: "need at least one example and one target per example")
        }
        let weights = sampleWeights ?? [Double](repeating: 1, count: examples.count)
        guard weights.count == examples.count, weights.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw FactoryError.invalidArgument(name: "sample weights", message: "need one positive weight per example")
        }
        if let bad = targets.firstIndex(where: { !(0...1).contains($0) }) {
            throw FactoryError.invalidArgument(name: "targets[\(bad)]", message: "must be in [0, 1], found \(targets[bad])")
        }
        if let bad = examples.firstIndex(where: { ($0.indices.last.map { Int($0) } ?? -1) >= dimension || ($0.indices.first ?? 0) < 0 }) {
            throw FactoryError.invalidArgument(name: "examples[\(bad)]", message: "has a feature index outside 0..<\(dimension)")
        }
        guard l2 >= 0, l2.isFinite else { throw FactoryError.invalidArgument(name: "l2", message: "must be non-negative, found \(l2)") }
        let objective = LogisticObjective(
            examples: examples, targets: targets, sampleWeights: weights, dimension: dimension, l2: l2, pool: pool)
        var optimizer = LBFGS()
        optimizer.maxIterations = maxIterations
        let result = optimizer.minimize(from: [Double](repeating: 0, count: objective.parameterCount)) { objective.evaluate($0) }
        return Fit(
            model: LogisticRegression(weights: Array(result.point[0..<dimension]), bias: result.point[dimension]),
            loss: result.value, iterations: result.iterations, converged: result.converged)
    }
}
