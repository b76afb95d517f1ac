import FactoryCore

/// Token embedding lookup: row `tokens[i]` of `table [V, H]`.
public enum EmbeddingKernel {
    /// `tokens` (N ids) → `[N, H]`.
    public static func forward(tokens: [Int32], table: Tensor) throws -> Tensor {
        let (vocabulary, width) = (table.shape[0], table.shape[1])
        var output = try Tensor(shape: [tokens.count, width])
        try table.withUnsafeBufferPointer { ts in
            try output.withUnsafeMutableBufferPointer { os in
                for (row, token) in tokens.enumerated() {
                    guard token >= 0, Int(token) < vocabulary else {
                        throw FactoryError.invalidArgument(
                            name: "token id", message: "\(token) at position \(row) is outside the vocabulary (0..<\(vocabulary))")
                    }
                    let source = ts.baseAddress! + Int(token) * width
                    (os.baseAddress! + row * width).update(from: source, count: width)
                }
            }
        }
        return output
    }

    /// Adds each row of `outputGradient` into the gradient row of its token, in token order.
    /// Columns are split across threads, so the per-row accumulation order never changes.
    public static func backward(
        tokens: [Int32], outputGradient dy: Tensor, tableGradient: inout Tensor, pool: ThreadPool = .machineWide
    ) throws {
        let width = tableGradient.shape[1]
        try ShapeCheck.exact(dy, [tokens.count, width], operand: "embedding output gradient")
        dy.withUnsafeBufferPointer { dys in
            tableGradient.withUnsafeMutableBufferPointer { gs in
                let (dys, gs) = (SendableBuffer(dys), SendableBuffer(gs))
                pool.parallelFor(count: width, grain: 64) { columns in
                    for (row, token) in tokens.enumerated() {
                        let target = Int(token) * width
                        let source = row * width
                        for column in columns { gs[target + column] += dys[source + column] }
                    }
                }
            }
        }
    }
}
