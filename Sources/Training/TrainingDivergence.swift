/// A training step whose loss or gradient norm is not finite, with no skips left
/// (`train.skip_nonfinite_steps`): the run stops before the step's update, so no NaN or infinity
/// reaches the weights, a checkpoint or `final/`.
public struct TrainingDivergence: Error, Equatable, Sendable, CustomStringConvertible {
    /// The step that diverged (1-based).
    public var step: Int
    /// The step's mean training loss.
    public var loss: Double
    /// The step's global gradient norm (before clipping).
    public var gradientNorm: Double
    /// Steps skipped before this one, and how many the run allowed.
    public var skipped: Int
    public var allowedSkips: Int

    public init(step: Int, loss: Double, gradientNorm: Double, skipped: Int, allowedSkips: Int) {
        self.step = step
        self.loss = loss
        self.gradientNorm = gradientNorm
        self.skipped = skipped
        self.allowedSkips = allowedSkips
    }

    /// Which of the step's values is not finite: "the loss is nan", "the gradient norm is inf", or both.
    public var nonFiniteValues: String {
        var parts = [String]()
        if !loss.isFinite { parts.append("the loss is \(loss)") }
        if !gradientNorm.isFinite { parts.append("the gradient norm is \(gradientNorm)") }
        return parts.joined(separator: " and ")
    }

    public var description: String {
        let skips =
            allowedSkips == 0
            ? "set train.skip_nonfinite_steps to skip such steps"
            : "\(skipped) step\(skipped == 1 ? "" : "s") already skipped, the most train.skip_nonfinite_steps allows"
        return "training diverged at step \(step): \(nonFiniteValues); stopped before the update (no weights, checkpoint or "
            + "final/ of this step written). Lower optimizer.lr or check the optimizer settings, or \(skips)"
    }
}
