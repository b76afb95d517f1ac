import Foundation

/// Log-probabilities of the model's raw distribution: the log-softmax of a logits row, before
/// any repetition penalty, temperature or filter (what vLLM reports by default and what scoring
/// with lm-evaluation-harness needs).
struct LogSoftmax {
    /// The row's logits.
    private let logits: UnsafeBufferPointer<Float>
    /// log Σ exp(logit), summed in `Double` in a fixed order.
    private let logNormalizer: Double

    init(_ logits: UnsafeBufferPointer<Float>) {
        self.logits = logits
        let best = logits.max() ?? 0
        let scratch = UnsafeMutableBufferPointer<Float>.allocate(capacity: logits.count)
        defer { scratch.deallocate() }
        logNormalizer = Double(best) + log(Exponentials.compute(logits, minus: best, into: scratch))
    }

    /// The log-probability of `token`.
    func logprob(_ token: UInt32) -> Float {
        Float(Double(logits[Int(token)]) - logNormalizer)
    }

    /// `token`'s log-probability with the `top` most likely tokens, best first, ties by lower id.
    func tokenLogprob(_ token: UInt32, top: Int) -> TokenLogprob {
        TokenLogprob(
            token: token, logprob: logprob(token),
            top: TopTokens.best(logits, count: top).map { TokenLogprob.Alternative(token: UInt32($0), logprob: logprob(UInt32($0))) })
    }
}
