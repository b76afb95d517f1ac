import FactoryCore
import Foundation

/// Root-mean-square normalization over the last dimension, in fp32:
/// `y = w · x / sqrt(mean(x²) + eps)`.
public enum RMSNormKernel {
    /// Rows per parallel chunk.
    static let grain = 32

    /// Returns `y` and the per-row inverse RMS that the backward pass needs.
    public static func forward(
        _ x: Tensor, weight: Tensor, eps: Float, pool: ThreadPool = .machineWide
    ) throws -> (output: Tensor, inverseRMS: [Float]) {
        let width = weight.count
        let rows = try ShapeCheck.rows(of: x, width: width, operand: "RMSNorm input")
        var output = x
        var inverseRMS = [Float](repeating: 0, count: rows)
        x.withUnsafeBufferPointer { xs in
            weight.withUnsafeBufferPointer { ws in
                output.withUnsafeMutableBufferPointer { ys in
                    inverseRMS.withUnsafeMutableBufferPointer { rs in
                        let (xs, ws, ys, rs) = (SendableBuffer(xs), SendableBuffer(ws), SendableBuffer(ys), SendableBuffer(rs))
                        pool.parallelFor(count: rows, grain: grain) { range in
                            for row in range {
                                let base = row * width
                                var sumOfSquares: Float = 0
                                for i in 0..<width { sumOfSquares += xs[base + i] * xs[base + i] }
                                let r = 1 / (sumOfSquares / Float(width) + eps).squareRoot()
                                rs[row] = r
                                for i in 0..<width { ys[base + i] = ws[i] * (xs[base + i] * r) }
                            }
                        }
                    }
                }
            }
        }
        return (output, inverseRMS)
    }

    /// Gradients with respect to the input and the weight.
    ///
    /// With `n̂ = x·r`: `dw = Σ_rows dy·n̂`, `dx = r·(w·dy − n̂·mean(w·dy·n̂))`.
    public static func backward(
        outputGradient dy: Tensor, input x: Tensor, weight: Tensor, inverseRMS: [Float], pool: ThreadPool = .machineWide
    ) throws -> (input: Tensor, weight: Tensor) {
        try ShapeCheck.same(dy, x, "RMSNorm gradient and input")
        let width = weight.count
        let rows = try ShapeCheck.rows(of: x, width: width, operand: "RMSNorm input")
        var dx = x
        let dw: [Float] = dy.withUnsafeBufferPointer { dys in
            x.withUnsafeBufferPointer { xs in
                weight.withUnsafeBufferPointer { ws in
                    inverseRMS.withUnsafeBufferPointer { rs in
                        dx.withUnsafeMutableBufferPointer { dxs in
                            let (dys, xs, ws, rs, dxs) = (
                                SendableBuffer(dys), SendableBuffer(xs), SendableBuffer(ws), SendableBuffer(rs), SendableBuffer(dxs)
                            )
                            return pool.parallelReduce(
                                count: rows, grain: grain, initial: [Float](repeating: 0, count: width),
                                chunk: { range in
                                    var partial = [Float](repeating: 0, count: width)
                                    for row in range {
                                        let base = row * width
                                        let r = rs[row]
                                        var dot: Float = 0
                                        for i in 0..<width {
                                            let normalized = xs[base + i] * r
                                            partial[i] += dys[base + i] * normalized
                                            dot += ws[i] * dys[base + i] * normalized
                                        }
                                        let mean = dot / Float(width)
                                        for i in 0..<width {
                                            dxs[base + i] = r * (ws[i] * dys[base + i] - xs[base + i] * r * mean)
                                        }
                                    }
                                    return partial
                                },
                                combine: { total, partial in zip(total, partial).map { $0 + $1 } })
                        }
                    }
                }
            }
        }
        return (dx, try Tensor(shape: weight.shape, storage: dw))
    }
}
