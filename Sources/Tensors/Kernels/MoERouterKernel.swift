import FactoryCore
import Foundation

/// Sigmoid top-k routing of a sparse Mixture-of-Experts layer, as `transformers`'
/// `LagunaTopKRouter` computes it (DeepSeek-V3 style).
///
/// From router logits `l [N, E]`: optional soft-capping `c = cap · tanh(l / cap)` (when `cap > 0`),
/// scores `s = sigmoid(c)`, selection of the top `k` experts of `s + bias` per token, and weights
/// = the chosen unbiased scores renormalized to sum 1. The backward pass carries the gradient of
/// the weights through the renormalization, the sigmoid and the soft-cap into the logits; the
/// selection (and so the bias) passes no gradient.
public enum MoERouterKernel {
    /// The routing of `tokenCount` tokens over `expertCount` experts, `expertsPerToken` each.
    public struct Routing: Equatable, Sendable {
        /// Number of tokens `N`.
        public let tokenCount: Int
        /// Number of experts `E`.
        public let expertCount: Int
        /// Experts chosen per token `k`.
        public let expertsPerToken: Int
        /// The logits after soft-capping `[N, E]` (the logits themselves when there is no cap).
        public let cappedLogits: Tensor
        /// `sigmoid(cappedLogits)` `[N, E]`.
        public let scores: Tensor
        /// Token-major `[N · k]`: token t's experts at `t·k ..< (t+1)·k`, by descending biased
        /// score, ties to the lower expert index.
        public let experts: [Int32]
        /// The chosen scores renormalized per token, aligned with `experts`.
        public let weights: [Float]
    }

    /// Routes `logits [N, E]` with `correctionBias [E]` to `topK` experts per token.
    public static func forward(
        logits: Tensor, correctionBias: Tensor, topK: Int, softcap: Float, pool: ThreadPool = .machineWide
    ) throws -> Routing {
        guard logits.rank == 2 else {
            throw FactoryError.invalidArgument(name: "router logits shape", message: "expected [tokens, experts], got \(logits.shape)")
        }
        let (tokens, experts) = (logits.shape[0], logits.shape[1])
        try ShapeCheck.exact(correctionBias, [experts], operand: "router correction bias")
        guard topK > 0, topK <= experts else {
            throw FactoryError.invalidArgument(name: "router top-k", message: "\(topK) is not in 1...\(experts)")
        }
        var capped = logits
        var scores = logits
        var chosen = [Int32](repeating: 0, count: tokens * topK)
        var weights = [Float](repeating: 0, count: tokens * topK)
        logits.withUnsafeBufferPointer { ls in
            correctionBias.withUnsafeBufferPointer { bs in
                capped.withUnsafeMutableBufferPointer { cs in
                    scores.withUnsafeMutableBufferPointer { ss in
                        chosen.withUnsafeMutableBufferPointer { es in
                            weights.withUnsafeMutableBufferPointer { ws in
                                let (ls, bs, cs, ss, es, ws) = (
                                    SendableBuffer(ls), SendableBuffer(bs), SendableBuffer(cs), SendableBuffer(ss),
                                    SendableBuffer(es), SendableBuffer(ws)
                                )
                                pool.parallelFor(count: tokens, grain: 64) { range in
                                    var biased = [Float](repeating: 0, count: experts)
                                    for t in range {
                                        let row = t * experts
                                        for e in 0..<experts {
                                            let c = softcap > 0 ? softcap * tanhf(ls[row + e] / softcap) : ls[row + e]
                                            cs[row + e] = c
                                            ss[row + e] = Activations.sigmoid(c)
                                            biased[e] = ss[row + e] + bs[e]
                                        }
                                        var total: Float = 0
                                        for slot in 0..<topK {
                                            var best = -1
                                            for e in 0..<experts where biased[e] != -.infinity {
                                                if best < 0 || biased[e] > biased[best] { best = e }
                                            }
                                            biased[best] = -.infinity
                                            es[t * topK + slot] = Int32(best)
                                            ws[t * topK + slot] = ss[row + best]
                                            total += ss[row + best]
                                        }
                                        for slot in 0..<topK { ws[t * topK + slot] /= total }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return Routing(
            tokenCount: tokens, expertCount: experts, expertsPerToken: topK, cappedLogits: capped, scores: scores,
            experts: chosen, weights: weights)
    }

    /// The gradient with respect to the router logits `[N, E]`, given the gradient of the routing
    /// weights `[N · k]` (aligned with `routing.experts`) and, optionally, an extra gradient with
    /// respect to the capped logits (an auxiliary loss's).
    public static func backward(
        weightGradient: [Float], routing: Routing, softcap: Float, cappedLogitGradient: Tensor? = nil,
        pool: ThreadPool = .machineWide
    ) throws -> Tensor {
        let (tokens, experts, topK) = (routing.tokenCount, routing.expertCount, routing.expertsPerToken)
        guard weightGradient.count == tokens * topK else {
            throw FactoryError.invalidArgument(
                name: "routing weight gradient", message: "expected \(tokens * topK) values, got \(weightGradient.count)")
        }
        var dLogits = try Tensor(shape: [tokens, experts])
        if let cappedLogitGradient {
            try ShapeCheck.same(cappedLogitGradient, dLogits, "capped logit gradient and router logits")
            dLogits = cappedLogitGradient
        }
        routing.scores.withUnsafeBufferPointer { ss in
            routing.cappedLogits.withUnsafeBufferPointer { cs in
                weightGradient.withUnsafeBufferPointer { gs in
                    routing.experts.withUnsafeBufferPointer { es in
                        routing.weights.withUnsafeBufferPointer { ws in
                            dLogits.withUnsafeMutableBufferPointer { ds in
                                let (ss, cs, gs, es, ws, ds) = (
                                    SendableBuffer(ss), SendableBuffer(cs), SendableBuffer(gs), SendableBuffer(es),
                                    SendableBuffer(ws), SendableBuffer(ds)
                                )
                                pool.parallelFor(count: tokens, grain: 64) { range in
                                    for t in range {
                                        let row = t * experts
                                        // w_j = s_j / S: ∂L/∂s_j = (g_j − Σ_i g_i w_i) / S over the chosen j.
                                        var total: Float = 0
                                        var weighted: Float = 0
                                        for slot in 0..<topK {
                                            let a = t * topK + slot
                                            total += ss[row + Int(es[a])]
                                            weighted += gs[a] * ws[a]
                                        }
                                        for slot in 0..<topK {
                                            let a = t * topK + slot
                                            let e = row + Int(es[a])
                                            let dScore = (gs[a] - weighted) / total
                                            ds[e] += dScore * ss[e] * (1 - ss[e])
                                        }
                                        if softcap > 0 {
                                            for e in row..<(row + experts) {
                                                let tanh = cs[e] / softcap
                                                ds[e] *= 1 - tanh * tanh
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return dLogits
    }
}
