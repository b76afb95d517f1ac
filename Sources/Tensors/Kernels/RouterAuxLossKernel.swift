import FactoryCore
import Foundation

/// The Switch-Transformer load-balancing loss over the router logits of all sparse layers, with
/// the semantics of `transformers`' `load_balancing_loss_func` (no attention mask):
///
/// per layer `p = softmax(logits)` over experts and the top-k experts of `p` per token; over all
/// layers' rows together, `f_e` = assignments to e / rows and `P_e` = mean of `p_e`;
/// `loss = E · Σ_e f_e · P_e`. The counts `f` pass no gradient; the gradient flows through `P`.
public enum RouterAuxLossKernel {
    /// The loss and its gradient with respect to each layer's logits `[N, E]`.
    public static func lossAndGradients(logits: [Tensor], topK: Int) throws -> (loss: Float, gradients: [Tensor]) {
        guard let first = logits.first else { return (0, []) }
        guard first.rank == 2 else {
            throw FactoryError.invalidArgument(name: "router logits shape", message: "expected [tokens, experts], got \(first.shape)")
        }
        let experts = first.shape[1]
        guard topK > 0, topK <= experts else {
            throw FactoryError.invalidArgument(name: "router top-k", message: "\(topK) is not in 1...\(experts)")
        }
        for layer in logits { try ShapeCheck.exact(layer, [layer.shape.first ?? 0, experts], operand: "router logits") }
        let rows = Double(logits.reduce(0) { $0 + $1.shape[0] })
        var counts = [Double](repeating: 0, count: experts)
        var probabilitySums = [Double](repeating: 0, count: experts)
        var probabilities: [[Float]] = []
        for layer in logits {
            let tokens = layer.shape[0]
            var p = [Float](repeating: 0, count: tokens * experts)
            for t in 0..<tokens {
                let row = t * experts
                var largest = -Float.infinity
                for e in 0..<experts { largest = max(largest, layer.storage[row + e]) }
                var total: Float = 0
                for e in 0..<experts {
                    p[row + e] = expf(layer.storage[row + e] - largest)
                    total += p[row + e]
                }
                for e in 0..<experts {
                    p[row + e] /= total
                    probabilitySums[e] += Double(p[row + e])
                }
                var taken = [Bool](repeating: false, count: experts)
                for _ in 0..<topK {
                    var best = -1
                    for e in 0..<experts where !taken[e] && (best < 0 || p[row + e] > p[row + best]) { best = e }
                    taken[best] = true
                    counts[best] += 1
                }
            }
            probabilities.append(p)
        }
        var loss = 0.0
        for e in 0..<experts { loss += (counts[e] / rows) * (probabilitySums[e] / rows) }
        loss *= Double(experts)
        // ∂loss/∂p_e = E · f_e / rows for every row; then through the softmax.
        let dP = (0..<experts).map { Float(Double(experts) * counts[$0] / rows / rows) }
        var gradients: [Tensor] = []
        for (layer, p) in zip(logits, probabilities) {
            var gradient = try Tensor(shape: layer.shape)
            for t in 0..<layer.shape[0] {
                let row = t * experts
                var dot: Float = 0
                for e in 0..<experts { dot += p[row + e] * dP[e] }
                for e in 0..<experts { gradient[t, e] = p[row + e] * (dP[e] - dot) }
            }
            gradients.append(gradient)
        }
        return (Float(loss), gradients)
    }
}
