import FactoryCore
import Foundation

/// Chooses one request's tokens from logits rows, as `transformers` does: the repetition penalty,
/// then temperature (0 means greedy: the argmax of the penalized logits, lowest id on ties), then
/// top-k, top-p and min-p, then one draw from what is left.
///
/// Each sampler owns a random stream seeded by the request's seed and makes exactly one draw per
/// sampled token (none when greedy), so a request's tokens depend only on its logits and its seed,
/// never on the other requests in the batch.
public struct Sampler: Sendable {
    /// The request's sampling parameters.
    public let parameters: SamplingParameters
    /// The seed of the random stream: the request's, or one drawn when it has none.
    public let seed: UInt64
    private let random: RandomStream
    /// Draws made so far: the index of the next one in `random`.
    private var draws: UInt64 = 0
    /// Tokens of the prompt and of the output so far, which the repetition penalty applies to.
    private var seen: Set<UInt32>

    /// A sampler for a request whose prompt is `context`.
    public init(parameters: SamplingParameters, context: some Sequence<UInt32>) {
        self.parameters = parameters
        self.seed = parameters.seed ?? UInt64.random(in: .min ... .max)
        self.random = RandomStream(seed: seed)
        self.seen = Set(context)
    }

    /// Chooses the next token from `logits` (one row of `vocabularySize` values) and remembers it
    /// for the repetition penalty.
    public mutating func next(logits: UnsafeBufferPointer<Float>) -> UInt32 {
        var scores = Array(logits)
        applyRepetitionPenalty(to: &scores)
        let token: UInt32
        if parameters.temperature == 0 {
            token = UInt32(Self.argmax(scores))
        } else {
            for index in scores.indices { scores[index] /= parameters.temperature }
            let kept = Self.keptTokens(scores, topK: parameters.topK, topP: parameters.topP, minP: parameters.minP)
            token = UInt32(draw(from: kept, scores: scores))
        }
        seen.insert(token)
        return token
    }

    /// CTRL's penalty as `transformers` applies it: a seen token's positive logit is divided by
    /// the penalty, a negative one multiplied.
    private func applyRepetitionPenalty(to scores: inout [Float]) {
        let penalty = parameters.repetitionPenalty
        guard penalty != 1 else { return }
        for token in seen where Int(token) < scores.count {
            let score = scores[Int(token)]
            scores[Int(token)] = score < 0 ? score * penalty : score / penalty
        }
    }

    /// The index of the largest score, the lowest on ties.
    static func argmax(_ scores: [Float]) -> Int {
        var best = 0
        for index in scores.indices.dropFirst() where scores[index] > scores[best] { best = index }
        return best
    }

    /// The tokens that survive top-k, top-p and min-p on (temperature-scaled) `scores`: with
    /// top-k or top-p on, in order of decreasing score (ties by increasing id), else in id order;
    /// neither sorts the whole vocabulary.
    ///
    /// Top-k keeps every token scoring at least the `topK`-th best (ties at the boundary stay, as
    /// in `transformers`); top-p keeps the best tokens until their probability reaches `topP`, the
    /// one that crosses it included; min-p drops tokens less likely than `minP` times the best.
    static func keptTokens(_ scores: [Float], topK: Int, topP: Float, minP: Float) -> [Int] {
        var kept = topK > 0 && topK < scores.count ? Self.topK(scores, topK) : Array(scores.indices)
        if topP < 1 {
            kept = Self.nucleus(of: kept, scores: scores, topP: topP)
        }
        if minP > 0 {
            let weights = Self.weights(of: kept, scores: scores)
            // A weight is the probability over the best one's: p / p_max.
            kept = zip(kept, weights).filter { $0.1 >= Double(minP) }.map(\.0)
        }
        return kept
    }

    /// The `count` best tokens, and every other token tied with the last of them, best first.
    private static func topK(_ scores: [Float], _ count: Int) -> [Int] {
        var kept = scores.withUnsafeBufferPointer { TopTokens.best($0, count: count) }
        let threshold = scores[kept[count - 1]]
        // `best` took the lowest ids among the tied; the others follow in id order.
        kept += scores.indices.filter { $0 > kept[count - 1] && scores[$0] == threshold }
        return kept
    }

    /// The best of `tokens` until their probability (over `tokens`) reaches `topP`, the token
    /// that crosses it included, best first.
    private static func nucleus(of tokens: [Int], scores: [Float], topP: Float) -> [Int] {
        let weights = Self.weights(of: tokens, scores: scores)
        let total = weights.reduce(0, +)
        let mass = Double(topP) * total
        // Tokens lighter than half of (1 − topP) · total / n weigh less than (1 − topP) · total / 2
        // together, so the others reach `mass` with room to spare for rounding and only they
        // need sorting.
        let floor = (total - mass) / Double(2 * tokens.count)
        var candidates = zip(tokens, weights).filter { $0.1 >= floor }
        candidates.sort { scores[$0.0] != scores[$1.0] ? scores[$0.0] > scores[$1.0] : $0.0 < $1.0 }
        var cumulative = 0.0
        var end = 0
        while end < candidates.count && cumulative < mass {
            cumulative += candidates[end].1
            end += 1
        }
        return candidates[..<max(end, 1)].map(\.0)
    }

    /// exp(score − best score) for each of `tokens`: probabilities up to a common factor.
    private static func weights(of tokens: [Int], scores: [Float]) -> [Double] {
        let best = tokens.map { scores[$0] }.max() ?? 0
        return tokens.map { exp(Double(scores[$0]) - Double(best)) }
    }

    /// Draws one of `kept` with probability proportional to exp(score), walking them in order
    /// with one uniform number of 53 bits.
    private mutating func draw(from kept: [Int], scores: [Float]) -> Int {
        let weights = Self.weights(of: kept, scores: scores)
        let uniform = Double(random.word(at: draws) >> 11) * 0x1p-53
        draws += 1
        var remaining = uniform * weights.reduce(0, +)
        var chosen = kept[0]
        for (token, weight) in zip(kept, weights) where weight > 0 {
            chosen = token
            remaining -= weight
            if remaining < 0 { break }
        }
        return chosen
    }
}
