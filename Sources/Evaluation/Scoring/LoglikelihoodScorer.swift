import FactoryCore
import Foundation
import Models
import Tensors

/// Log-likelihoods of continuations after contexts, by full forward passes of a `LagunaModel`
/// over batches of sequences (`LagunaModel.logits`).
///
/// A request's sequence is its context followed by its continuation, left-truncated to the last
/// `maxPositionEmbeddings + 1` tokens (the model sees all but the last, as lm-evaluation-harness's
/// `HFLM` feeds `(context + continuation)[-(max_length + 1):][:-1]`); a continuation longer than
/// `maxPositionEmbeddings` tokens is refused, and so is a context of no tokens (white space
/// only, all of which moved to the continuation). Each continuation token's log-probability is the
/// log-softmax of the logits at the position before it, rounded to `Float` (what an OpenAI
/// `logprobs` response carries), and the tokens' log-probabilities are summed in `Double` in
/// order. An empty continuation scores 0.
///
/// Batches: requests are sorted by sequence length, longest first (ties in request order), cut
/// into batches of `batchSize` and right-padded to their longest member; causal attention keeps
/// the padding out of every real position. The result depends only on the requests and the
/// batch size.
struct LoglikelihoodScorer {
    let model: LagunaModel
    let batchSize: Int
    let pool: ThreadPool

    /// The sequence the model reads for `request` (truncated) and how many of its last tokens
    /// are the continuation.
    func sequence(_ request: ContinuationEncoding, name: String) throws -> [UInt32] {
        let limit = model.config.maxPositionEmbeddings
        guard !request.context.isEmpty else {
            throw FactoryError.invalidArgument(name: name, message: "its context is white space only: nothing to condition on")
        }
        guard request.continuation.count <= limit else {
            throw FactoryError.invalidArgument(
                name: name, message: "its continuation has \(request.continuation.count) tokens, more than max_position_embeddings (\(limit))")
        }
        return Array((request.context + request.continuation).suffix(limit + 1))
    }

    /// The log-likelihood of each request's continuation; `names[i]` names request i in errors
    /// (`task t, document d, choice c`).
    func score(_ requests: [ContinuationEncoding], names: [String]) throws -> [Double] {
        let sequences = try zip(requests, names).map { try sequence($0, name: $1) }
        let order = sequences.indices.sorted { sequences[$0].count != sequences[$1].count ? sequences[$0].count > sequences[$1].count : $0 < $1 }
        var scores = [Double?](repeating: nil, count: requests.count)
        if let longest = order.first {
            // The first batch is the largest: its activations bound every batch's.
            let config = model.config
            let time = max(sequences[longest].count - 1, 1)
            try MemoryBudget.require(
                LagunaMemoryEstimate.weightBytes(config).flatMap { weights in
                    LagunaMemoryEstimate.activationBytes(config, batch: min(batchSize, order.count), time: time).flatMap {
                        MemoryBudget.sum(weights, $0)
                    }
                },
                for: "scoring multiple choice with --batch \(batchSize) and sequences of \(time) tokens", name: "--batch")
        }
        for start in stride(from: 0, to: order.count, by: batchSize) {
            let members = Array(order[start..<min(start + batchSize, order.count)])
            let time = max(sequences[members[0]].count - 1, 1)
            var tokens = [Int32](repeating: 0, count: members.count * time)
            for (row, index) in members.enumerated() {
                for (offset, token) in sequences[index].dropLast().enumerated() { tokens[row * time + offset] = Int32(bitPattern: token) }
            }
            let logits = try model.logits(TokenBatch(batch: members.count, time: time, tokens: tokens), pool: pool)
            let vocabulary = logits.shape[1]
            logits.withUnsafeBufferPointer { values in
                for (row, index) in members.enumerated() {
                    let sequence = sequences[index]
                    let continuation = min(requests[index].continuation.count, sequence.count)
                    var total = 0.0
                    for position in (sequence.count - continuation)..<sequence.count {
                        let base = (row * time + position - 1) * vocabulary
                        let rowLogits = UnsafeBufferPointer(rebasing: values[base..<(base + vocabulary)])
                        total += Double(Self.logProbability(of: Int(sequence[position]), in: rowLogits))
                    }
                    scores[index] = total
                }
            }
        }
        return scores.map { $0! }
    }

    /// log softmax(logits)[target], with the normalizer accumulated in `Double` in index order.
    static func logProbability(of target: Int, in logits: UnsafeBufferPointer<Float>) -> Float {
        var best = -Float.infinity
        for value in logits where value > best { best = value }
        var sum = 0.0
        for value in logits { sum += exp(Double(value - best)) }
        return Float(Double(logits[target]) - (Double(best) + log(sum)))
    }
}
