import FactoryCore

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
            if parameters.topK == 0 && parameters.topP == 1 && parameters.minP == 0 {
                token = UInt32(draw(scores))
            } else {
                let kept = Self.keptTokens(scores, topK: parameters.topK, topP: parameters.topP, minP: parameters.minP)
                token = UInt32(kept[draw(kept.map { scores[$0] })])
            }
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
            kept = zip(kept, weights).filter { $0.1 >= minP }.map(\.0)
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
        let (weights, total) = Exponentials.relativeToMaximum(tokens.map { scores[$0] })
        let mass = Double(topP) * total
        // Tokens lighter than half of (1 − topP) · total / n weigh less than (1 − topP) · total / 2
        // together, so the others reach `mass` with room to spare for rounding and only they
        // need sorting.
        let floor = (total - mass) / Double(2 * tokens.count)
        var candidates = tokens.indices.filter { Double(weights[$0]) >= floor }.map {
            (token: tokens[$0], score: scores[tokens[$0]], weight: weights[$0])
        }
        candidates.sort { $0.score != $1.score ? $0.score > $1.score : $0.token < $1.token }
        var cumulative = 0.0
        var end = 0
        while end < candidates.count && cumulative < mass {
            cumulative += Double(candidates[end].weight)
            end += 1
        }
        return candidates[..<max(end, 1)].map(\.token)
    }

    /// exp(score − best score) for each of `tokens`: probabilities up to a common factor.
    private static func weights(of tokens: [Int], scores: [Float]) -> [Float] {
        Exponentials.relativeToMaximum(tokens.map { scores[$0] }).weights
    }

    /// Draws an index of `scores` with probability proportional to exp(score), walking them in
    /// order with one uniform number of 53 bits.
    private mutating func draw(_ scores: [Float]) -> Int {
        let (weights, total) = Exponentials.relativeToMaximum(scores)
        let uniform = Double(random.word(at: draws) >> 11) * 0x1p-53
        draws += 1
        var remaining = uniform * total
        var chosen = 0
        for (index, weight) in weights.enumerated() where weight > 0 {
            chosen = index
            remaining -= Double(weight)
            if remaining < 0 { break }
        }
        return chosen
    }
}
