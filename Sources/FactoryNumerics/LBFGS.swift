/// Limited-memory BFGS for smooth unconstrained minimization, with a backtracking (Armijo) line
/// search. Deterministic: the same start and objective give the same iterates.
struct LBFGS: Sendable {
    /// Correction pairs kept.
    var memory = 10
    /// Iterations at most.
    var maxIterations = 300
    /// Stop when the largest gradient component is at most this.
    var gradientTolerance = 1e-7
    /// Stop when an iteration lowers the value by at most this fraction of it.
    var relativeDecreaseTolerance = 1e-12

    /// The outcome of a minimization.
    struct Result {
        /// The last iterate.
        var point: [Double]
        /// The objective there.
        var value: Double
        /// Iterations done.
        var iterations: Int
        /// Whether a tolerance (rather than the iteration limit) stopped it.
        var converged: Bool
    }

    /// Minimizes `objective` (value and gradient) from `start`.
    func minimize(from start: [Double], _ objective: ([Double]) -> (value: Double, gradient: [Double])) -> Result {
        var point = start
        var (value, gradient) = objective(point)
        var steps = [[Double]]()
        var changes = [[Double]]()
        var curvatures = [Double]()
        for iteration in 0..<maxIterations {
            if gradient.map(abs).max() ?? 0 <= gradientTolerance {
                return Result(point: point, value: value, iterations: iteration, converged: true)
            }
            var direction = searchDirection(gradient, steps: steps, changes: changes, curvatures: curvatures)
            var slope = dot(gradient, direction)
            if slope >= 0 {  // not a descent direction: restart from steepest descent
                steps.removeAll()
                changes.removeAll()
                curvatures.removeAll()
                direction = gradient.map { -$0 }
                slope = dot(gradient, direction)
            }
            var stepLength = steps.isEmpty ? min(1, 1 / dot(gradient, gradient).squareRoot()) : 1
            var candidate = point
            var candidateValue = value
            var candidateGradient = gradient
            var accepted = false
            for _ in 0..<60 {
                candidate = zip(point, direction).map { $0 + stepLength * $1 }
                (candidateValue, candidateGradient) = objective(candidate)
                if candidateValue <= value + 1e-4 * stepLength * slope {
                    accepted = true
                    break
                }
                stepLength *= 0.5
            }
            guard accepted else { return Result(point: point, value: value, iterations: iteration, converged: true) }
            let step = zip(candidate, point).map { $0 - $1 }
            let change = zip(candidateGradient, gradient).map { $0 - $1 }
            let curvature = dot(step, change)
            if curvature > 1e-12 * dot(change, change) {
                steps.append(step)
                changes.append(change)
                curvatures.append(curvature)
                if steps.count > memory {
                    steps.removeFirst()
                    changes.removeFirst()
                    curvatures.removeFirst()
                }
            }
            let decrease = value - candidateValue
            point = candidate
            gradient = candidateGradient
            let previous = value
            value = candidateValue
            if decrease <= relativeDecreaseTolerance * max(abs(previous), abs(value), 1) {
                return Result(point: point, value: value, iterations: iteration + 1, converged: true)
            }
        }
        return Result(point: point, value: value, iterations: maxIterations, converged: false)
    }

    /// `−H g` by the two-loop recursion, with the initial inverse Hessian scaled by the latest pair.
    private func searchDirection(_ gradient: [Double], steps: [[Double]], changes: [[Double]], curvatures: [Double]) -> [Double] {
        var q = gradient
        var alphas = [Double](repeating: 0, count: steps.count)
        for index in steps.indices.reversed() {
            alphas[index] = dot(steps[index], q) / curvatures[index]
            for k in q.indices { q[k] -= alphas[index] * changes[index][k] }
        }
        if let last = steps.indices.last {
            let scale = curvatures[last] / dot(changes[last], changes[last])
            for k in q.indices { q[k] *= scale }
        }
        for index in steps.indices {
            let beta = dot(changes[index], q) / curvatures[index]
            for k in q.indices { q[k] += (alphas[index] - beta) * steps[index][k] }
        }
        return q.map { -$0 }
    }

    private func dot(_ lhs: [Double], _ rhs: [Double]) -> Double {
        var sum = 0.0
        for index in lhs.indices { sum += lhs[index] * rhs[index] }
        return sum
    }
}
