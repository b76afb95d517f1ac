import FactoryCore

/// A batch of equal-length token sequences, row-major `[batch, time]`.
public struct TokenBatch: Equatable, Sendable {
    public let batch: Int
    public let time: Int
    /// `batch · time` token ids.
    public let tokens: [Int32]

    /// Checks that `tokens` holds `batch · time` ids.
    public init(batch: Int, time: Int, tokens: [Int32]) throws {
        guard batch > 0, time > 0, tokens.count == batch * time else {
            throw FactoryError.invalidArgument(
                name: "token batch", message: "\(tokens.count) tokens do not form \(batch) sequences of \(time)")
        }
        self.batch = batch
        self.time = time
        self.tokens = tokens
    }

    /// Hugging Face causal-LM targets (`labels = input_ids`): position t predicts token t + 1;
    /// the last position of each sequence has no target.
    public var nextTokenTargets: [Int32] {
        var targets = [Int32](repeating: -100, count: tokens.count)
        for row in 0..<batch {
            for t in 0..<(time - 1) { targets[row * time + t] = tokens[row * time + t + 1] }
        }
        return targets
    }
}
