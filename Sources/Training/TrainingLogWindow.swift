import FactoryCore
import Models

/// The stretch of steps between two training log lines: it accumulates tokens and time, and turns
/// them into the line's metrics (`train/loss`, `train/lr`, `train/grad_norm`,
/// `train/tokens_per_second`, `train/optimizer_fraction` and the expert-load metrics).
struct TrainingLogWindow {
    private var start = ProgressReporter.monotonicSeconds()
    private var tokens = 0
    private var stepSeconds = 0.0
    private var optimizerSeconds = 0.0

    /// Counts one step of `tokens` tokens that took `stepSeconds`, `optimizerSeconds` of them in the
    /// optimizer update.
    mutating func add(tokens: Int, stepSeconds: Double, optimizerSeconds: Double) {
        self.tokens += tokens
        self.stepSeconds += stepSeconds
        self.optimizerSeconds += optimizerSeconds
    }

    /// The metrics of a log line closing the window with the last step's values; a new window starts.
    mutating func close(loss: Double, learningRate: Double, gradientNorm: Double, expertLoads: LagunaExpertLoads) -> [String: Double] {
        let now = ProgressReporter.monotonicSeconds()
        let values = [
            "train/loss": loss, "train/lr": learningRate, "train/grad_norm": gradientNorm,
            "train/tokens_per_second": Double(tokens) / max(now - start, 1e-9),
            "train/optimizer_fraction": optimizerSeconds / max(stepSeconds, 1e-9),
        ].merging(expertLoads.metrics) { current, _ in current }
        self = TrainingLogWindow()
        return values
    }
}
