import Foundation

/// Learning rate as a function of the step: linear warmup, then constant, cosine decay, or
/// warmup-stable-decay (constant, then a linear decay over the final fraction of the run).
public struct LearningRateSchedule: Sendable, Equatable, Codable {
    /// The shape after warmup.
    public enum Shape: String, Sendable, Codable {
        case constant
        case cosine
        case warmupStableDecay = "wsd"
    }

    public var peak: Double
    public var warmupSteps: Int
    public var totalSteps: Int
    public var shape: Shape
    /// Floor as a fraction of `peak` reached at the end of a decay.
    public var minimumRatio: Double
    /// For `wsd`: the fraction of `totalSteps` spent decaying at the end.
    public var decayFraction: Double

    public init(peak: Double, warmupSteps: Int, totalSteps: Int, shape: Shape, minimumRatio: Double, decayFraction: Double) {
        self.peak = peak
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        self.shape = shape
        self.minimumRatio = minimumRatio
        self.decayFraction = decayFraction
    }

    /// The rate for 1-based `step` (step 1 is the first update).
    public func rate(atStep step: Int) -> Double {
        if warmupSteps > 0, step <= warmupSteps {
            return peak * Double(step) / Double(warmupSteps)
        }
        let floor = peak * minimumRatio
        switch shape {
        case .constant:
            return peak
        case .cosine:
            let span = max(totalSteps - warmupSteps, 1)
            let progress = min(max(Double(step - warmupSteps) / Double(span), 0), 1)
            return floor + (peak - floor) * 0.5 * (1 + cos(Double.pi * progress))
        case .warmupStableDecay:
            let decaySteps = max(Int((Double(totalSteps) * decayFraction).rounded()), 1)
            let decayStart = totalSteps - decaySteps
            guard step > decayStart else { return peak }
            let progress = min(Double(step - decayStart) / Double(decaySteps), 1)
            return peak + (floor - peak) * progress
        }
    }
}
