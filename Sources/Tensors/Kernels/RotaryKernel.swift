import FactoryCore
import Foundation

/// Rotary position embedding in the rotate-half layout on the first `rotaryDimensions` of each
/// head, passing the rest through, as Hugging Face `apply_rotary_pos_emb` with partial rotary.
public struct RotaryTable: Sendable {
    /// Dimensions per head that rotate (`Int(headDim · partialRotaryFactor)`, even).
    public let rotaryDimensions: Int
    /// Positions covered.
    public let length: Int
    /// `cos` and `sin` of `position · inv_freq[i]`, `[length, rotaryDimensions / 2]`.
    let cosines: [Float]
    let sines: [Float]

    /// Builds the table in fp32 the way `transformers` does: `inv_freq = 1 / θ^(2i/dim)`.
    public init(headDimension: Int, partialRotaryFactor: Double, theta: Double, length: Int) {
        let dimensions = Int(Double(headDimension) * partialRotaryFactor)
        rotaryDimensions = dimensions
        self.length = length
        let half = dimensions / 2
        let inverseFrequencies = (0..<half).map { 1 / powf(Float(theta), Float(2 * $0) / Float(dimensions)) }
        var cosines = [Float](repeating: 0, count: length * half)
        var sines = cosines
        for position in 0..<length {
            for i in 0..<half {
                let angle = Float(position) * inverseFrequencies[i]
                cosines[position * half + i] = cosf(angle)
                sines[position * half + i] = sinf(angle)
            }
        }
        self.cosines = cosines
        self.sines = sines
    }
}

/// Applies (or, for gradients, inverts) the rotation of `RotaryTable` on `[B, T, heads, headDim]`.
public enum RotaryKernel {
    /// Rotates every head of `x` in place by its position's angles.
    public static func forward(_ x: inout Tensor, table: RotaryTable, pool: ThreadPool = .machineWide) throws {
        try rotate(&x, table: table, direction: 1, pool: pool)
    }

    /// The gradient of `forward`: the rotation is orthogonal, so its transpose rotates backwards.
    public static func backward(_ dy: inout Tensor, table: RotaryTable, pool: ThreadPool = .machineWide) throws {
        try rotate(&dy, table: table, direction: -1, pool: pool)
    }

    private static func rotate(_ x: inout Tensor, table: RotaryTable, direction: Float, pool: ThreadPool) throws {
        guard x.rank == 4, x.shape[1] <= table.length, table.rotaryDimensions <= x.shape[3] else {
            throw FactoryError.invalidArgument(
                name: "rotary input shape",
                message: "expected [batch, time ≤ \(table.length), heads, head_dim ≥ \(table.rotaryDimensions)], got \(x.shape)")
        }
        let (batch, time, heads, headDim) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let half = table.rotaryDimensions / 2
        guard half > 0 else { return }
        table.cosines.withUnsafeBufferPointer { cs in
            table.sines.withUnsafeBufferPointer { ss in
                x.withUnsafeMutableBufferPointer { xs in
                    let (cs, ss, xs) = (SendableBuffer(cs), SendableBuffer(ss), SendableBuffer(xs))
                    pool.parallelFor(count: batch * time, grain: 16) { rows in
                        for row in rows {
                            let position = row % time
                            for head in 0..<heads {
                                let base = (row * heads + head) * headDim
                                for i in 0..<half {
                                    let c = cs[position * half + i]
                                    let s = ss[position * half + i] * direction
                                    let first = xs[base + i]
                                    let second = xs[base + i + half]
                                    xs[base + i] = first * c - second * s
                                    xs[base + i + half] = second * c + first * s
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
