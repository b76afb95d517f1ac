import FactoryCore
import Foundation

/// Mean token cross-entropy fused with the softmax over the vocabulary.
public enum CrossEntropyKernel {
    /// The target id that marks a position without a loss (Hugging Face's `-100`; any negative id).
    public static let ignoredTarget: Int32 = -100

    /// The loss and, in the same pass, `d loss / d logits = (softmax − onehot) / N`.
    ///
    /// `logits [N, V]`, `targets` N ids; negative targets are ignored (no loss, zero gradient) and
    /// `N` counts the others. The mean is reduced in fixed row chunks, so the loss is identical
    /// for every thread count.
    public static func lossAndGradient(
        logits: Tensor, targets: [Int32], pool: ThreadPool = .machineWide
    ) throws -> (loss: Float, perTokenLoss: [Float], gradient: Tensor) {
        guard logits.rank == 2, logits.shape[0] == targets.count, targets.count > 0 else {
            throw FactoryError.invalidArgument(
                name: "cross-entropy shapes", message: "logits \(logits.shape) do not match \(targets.count) targets")
        }
        let (rows, vocabulary) = (logits.shape[0], logits.shape[1])
        if let bad = targets.firstIndex(where: { Int($0) >= vocabulary }) {
            throw FactoryError.invalidArgument(
                name: "target id", message: "\(targets[bad]) at position \(bad) is outside the vocabulary (0..<\(vocabulary))")
        }
        let counted = targets.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
        guard counted > 0 else {
            throw FactoryError.invalidArgument(name: "targets", message: "every target is ignored; there is no loss to compute")
        }
        var gradient = logits
        var perToken = [Float](repeating: 0, count: rows)
        let scale = 1 / Float(counted)
        logits.withUnsafeBufferPointer { ls in
            gradient.withUnsafeMutableBufferPointer { gs in
                perToken.withUnsafeMutableBufferPointer { ps in
                    targets.withUnsafeBufferPointer { ts in
                        let (ls, gs, ps, ts) = (SendableBuffer(ls), SendableBuffer(gs), SendableBuffer(ps), SendableBuffer(ts))
                        pool.parallelFor(count: rows, grain: 8) { range in
                            for row in range {
                                let base = row * vocabulary
                                guard ts[row] >= 0 else {
                                    for v in 0..<vocabulary { gs[base + v] = 0 }
                                    continue
                                }
                                let maximum = VectorRow.maximum(ls.base + base, count: vocabulary)
                                let sum = VectorRow.exponentiate(ls.base + base, minus: maximum, into: gs.base + base, count: vocabulary)
                                let target = Int(ts[row])
                                ps[row] = maximum + logf(sum) - ls[base + target]
                                let normalizer = scale / sum
                                for v in 0..<vocabulary { gs[base + v] *= normalizer }
                                gs[base + target] -= scale
                            }
                        }
                    }
                }
            }
        }
        let total = pool.parallelReduce(
            count: rows, grain: 256, initial: Double(0),
            chunk: { [perToken] range in range.reduce(Double(0)) { $0 + Double(perToken[$1]) } },
            combine: +)
        return (Float(total / Double(counted)), perToken, gradient)
    }
}
