import FactoryCore
import Foundation

/// Rotary position embedding in the rotate-half layout on the first `rotaryDimensions` of each
/// head, passing the rest through, as Hugging Face `apply_rotary_pos_emb` with partial rotary.
public struct RotaryTable: Sendable {
    /// Dimensions per head that rotate (`Int(headDim · partialRotaryFactor)`, even).
    public let rotaryDimensions: Int
    /// Rows (positions) covered.
    public let length: Int
    /// `cos` and `sin` of `position · inv_freq[i]`, `[length, rotaryDimensions / 2]`.
    let cosines: [Float]
    let sines: [Float]

    /// Builds the table in fp32 the way `transformers` does: `inv_freq = 1 / θ^(2i/dim)`.
    public init(headDimension: Int, partialRotaryFactor: Double, theta: Double, length: Int) {
        self.init(headDimension: headDimension, partialRotaryFactor: partialRotaryFactor, theta: theta, positions: Array(0..<length))
    }

    /// A table whose row `r` holds the angles of position `positions[r]` (the rows of a decode
    /// step, each sequence at its own position); the values are bitwise those of the full table.
    public init(headDimension: Int, partialRotaryFactor: Double, theta: Double, positions: [Int]) {
        let dimensions = Int(Double(headDimension) * partialRotaryFactor)
        rotaryDimensions = dimensions
        length = positions.count
        let half = dimensions / 2
        let inverseFrequencies = (0..<half).map { 1 / powf(Float(theta), Float(2 * $0) / Float(dimensions)) }
        var cosines = [Float](repeating: 0, count: positions.count * half)
        var sines = cosines
        for (row, position) in positions.enumerated() {
            for i in 0..<half {
                let angle = Float(position) * inverseFrequencies[i]
                cosines[row * half + i] = cosf(angle)
                sines[row * half + i] = sinf(angle)
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

    /// Rotates `x [N, heads, headDim]` in place, row `r` by row `r` of `table` (built over
    /// explicit positions): one token per row, as in a decode step.
    public static func forwardRows(_ x: inout Tensor, table: RotaryTable, pool: ThreadPool = .machineWide) throws {
        guard x.rank == 3, x.shape[0] == table.length, table.rotaryDimensions <= x.shape[2] else {
            throw FactoryError.invalidArgument(
                name: "rotary input shape",
                message: "expected [rows = \(table.length), heads, head_dim ≥ \(table.rotaryDimensions)], got \(x.shape)")
        }
        let shape = x.shape
        var batched = try x.reshaped([1, shape[0], shape[1], shape[2]])
        try rotate(&batched, table: table, direction: 1, pool: pool)
        x = try batched.reshaped(shape)
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
