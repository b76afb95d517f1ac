/// How a quality classifier was trained and how well it separates held-out documents; stored
/// in the model file.
public struct QualityTrainingSummary: Codable, Equatable, Sendable {
    /// Where the labels came from (`labels:PATH`, `bootstrap:corruption`, `bootstrap:sources`).
    public var labels: String
    /// Training examples (after the held-out split).
    public var trainingExamples: Int
    /// Training examples with target at least 0.5.
    var trainingPositives: Int
    /// Held-out examples.
    public var heldOutExamples: Int
    /// Held-out examples with target at least 0.5.
    var heldOutPositives: Int
    /// The area under the ROC curve on the held-out examples (positives: target at least 0.5).
    public var heldOutAUC: Double
    /// The L2 strength used.
    public var l2: Double
    /// L-BFGS iterations run.
    public var iterations: Int
    /// Whether the optimizer met its tolerance.
    public var converged: Bool
    /// The final regularized training loss.
    var trainingLoss: Double
    /// The seed of sampling, corruption and the held-out split.
    public var seed: UInt64

    enum CodingKeys: String, CodingKey {
        case labels, l2, iterations, converged, seed
        case trainingExamples = "training_examples"
        case trainingPositives = "training_positives"
        case heldOutExamples = "held_out_examples"
        case heldOutPositives = "held_out_positives"
        case heldOutAUC = "held_out_auc"
        case trainingLoss = "training_loss"
    }
}
