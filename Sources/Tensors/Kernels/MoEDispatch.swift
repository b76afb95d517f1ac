import FactoryCore

/// The grouping of a sparse layer's token-to-expert assignments by expert: a stable permutation
/// of the `N · k` assignments (expert by expert, tokens in order within an expert), with the
/// gather into that order and the weighted combination back to tokens, both in a fixed order.
///
/// Assignment `a = t·k + j` is token t's j-th chosen expert; row `r` of the grouped order holds
/// one assignment; expert e's rows are `offsets[e] ..< offsets[e + 1]`.
public struct MoEDispatch: Equatable, Sendable {
    /// Number of tokens `N`.
    public let tokenCount: Int
    /// Experts per token `k`.
    public let expertsPerToken: Int
    /// `E + 1` row offsets: expert e's rows are `offsets[e] ..< offsets[e + 1]`.
    public let offsets: [Int]
    /// For each grouped row, its assignment `t·k + j`.
    public let assignments: [Int]
    /// For each assignment `t·k + j`, its grouped row.
    public let rows: [Int]

    /// Groups the token-major expert choices `experts [N · k]` (values in `0..<expertCount`).
    public init(experts: [Int32], expertCount: Int, expertsPerToken: Int) throws {
        guard expertsPerToken > 0, experts.count % expertsPerToken == 0 else {
            throw FactoryError.invalidArgument(
                name: "expert choices", message: "\(experts.count) choices are not a whole number of tokens × \(expertsPerToken)")
        }
        var counts = [Int](repeating: 0, count: expertCount)
        for (assignment, expert) in experts.enumerated() {
            guard expert >= 0, Int(expert) < expertCount else {
                throw FactoryError.invalidArgument(
                    name: "expert choices", message: "assignment \(assignment) names expert \(expert), outside 0..<\(expertCount)")
            }
            counts[Int(expert)] += 1
        }
        var offsets = [0]
        for count in counts { offsets.append(offsets.last! + count) }
        var next = Array(offsets.dropLast())
        var assignments = [Int](repeating: 0, count: experts.count)
        var rows = [Int](repeating: 0, count: experts.count)
        for (assignment, expert) in experts.enumerated() {
            let row = next[Int(expert)]
            next[Int(expert)] += 1
            assignments[row] = assignment
            rows[assignment] = row
        }
        self.tokenCount = experts.count / expertsPerToken
        self.expertsPerToken = expertsPerToken
        self.offsets = offsets
        self.assignments = assignments
        self.rows = rows
    }

    /// Number of experts `E`.
    public var expertCount: Int { offsets.count - 1 }

    /// Tokens routed to each expert.
    public var loads: [Int] { (0..<expertCount).map { offsets[$0 + 1] - offsets[$0] } }

    /// The token rows of `x [N, H]` in grouped order: `[N · k, H]`.
    public func gather(_ x: Tensor, pool: ThreadPool = .machineWide) throws -> Tensor {
        let width = try checkTokens(x, operand: "MoE gather input")
        var grouped = try Tensor(shape: [assignments.count, width])
        x.withUnsafeBufferPointer { xs in
            grouped.withUnsafeMutableBufferPointer { gs in
                let (xs, gs) = (SendableBuffer(xs), SendableBuffer(gs))
                let k = expertsPerToken
                assignments.withUnsafeBufferPointer { order in
                    let order = SendableBuffer(order)
                    pool.parallelFor(count: order.buffer.count, grain: 256) { range in
                        for row in range {
                            let token = order[row] / k
                            (gs.base + row * width).update(from: xs.base + token * width, count: width)
                        }
                    }
                }
            }
        }
        return grouped
    }

    /// The gradient of `gather`: `dx [N, H]`, token t's row the sum of its k grouped rows'
    /// gradients in choice order.
    public func gatherBackward(_ dGrouped: Tensor, pool: ThreadPool = .machineWide) throws -> Tensor {
        try combine(dGrouped, weights: nil, scale: 1, pool: pool)
    }

    /// `out [N, H]` with `out_t = scale · Σ_j weights[t·k + j] · grouped[rows[t·k + j]]`, summed
    /// over j in choice order.
    public func combine(_ grouped: Tensor, weights: [Float], scale: Float, pool: ThreadPool = .machineWide) throws -> Tensor {
        guard weights.count == rows.count else {
            throw FactoryError.invalidArgument(name: "routing weights", message: "expected \(rows.count) values, got \(weights.count)")
        }
        return try combine(grouped, weights: Optional(weights), scale: scale, pool: pool)
    }

    /// The gradients of `combine`: with respect to the grouped rows `[N · k, H]` and to the
    /// routing weights `[N · k]`.
    public func combineBackward(
        _ dOutput: Tensor, grouped: Tensor, weights: [Float], scale: Float, pool: ThreadPool = .machineWide
    ) throws -> (grouped: Tensor, weights: [Float]) {
        let width = try checkTokens(dOutput, operand: "MoE combine output gradient")
        try ShapeCheck.exact(grouped, [rows.count, width], operand: "MoE grouped expert outputs")
        var dGrouped = try Tensor(shape: grouped.shape)
        var dWeights = [Float](repeating: 0, count: rows.count)
        let k = expertsPerToken
        dOutput.withUnsafeBufferPointer { dys in
            grouped.withUnsafeBufferPointer { gs in
                dGrouped.withUnsafeMutableBufferPointer { dgs in
                    dWeights.withUnsafeMutableBufferPointer { dws in
                        rows.withUnsafeBufferPointer { rowsOf in
                            weights.withUnsafeBufferPointer { ws in
                                let (dys, gs, dgs, dws, rowsOf, ws) = (
                                    SendableBuffer(dys), SendableBuffer(gs), SendableBuffer(dgs), SendableBuffer(dws),
                                    SendableBuffer(rowsOf), SendableBuffer(ws)
                                )
                                pool.parallelFor(count: tokenCount, grain: 64) { range in
                                    for t in range {
                                        let dy = dys.base + t * width
                                        for j in 0..<k {
                                            let a = t * k + j
                                            let row = rowsOf[a] * width
                                            let factor = scale * ws[a]
                                            var dot: Float = 0
                                            for c in 0..<width {
                                                dgs[row + c] = factor * dy[c]
                                                dot += dy[c] * gs[row + c]
                                            }
                                            dws[a] = scale * dot
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (dGrouped, dWeights)
    }

    private func combine(_ grouped: Tensor, weights: [Float]?, scale: Float, pool: ThreadPool) throws -> Tensor {
        guard grouped.rank == 2, grouped.shape[0] == rows.count else {
            throw FactoryError.invalidArgument(
                name: "MoE grouped rows shape", message: "expected [\(rows.count), width], got \(grouped.shape)")
        }
        let width = grouped.shape[1]
        var output = try Tensor(shape: [tokenCount, width])
        let k = expertsPerToken
        let unit = [Float](repeating: 1, count: rows.count)
        grouped.withUnsafeBufferPointer { gs in
            output.withUnsafeMutableBufferPointer { os in
                rows.withUnsafeBufferPointer { rowsOf in
                    (weights ?? unit).withUnsafeBufferPointer { ws in
                        let (gs, os, rowsOf, ws) = (SendableBuffer(gs), SendableBuffer(os), SendableBuffer(rowsOf), SendableBuffer(ws))
                        pool.parallelFor(count: tokenCount, grain: 64) { range in
                            for t in range {
                                let out = os.base + t * width
                                for j in 0..<k {
                                    let a = t * k + j
                                    let source = gs.base + rowsOf[a] * width
                                    let factor = scale * ws[a]
                                    for c in 0..<width { out[c] += factor * source[c] }
                                }
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    private func checkTokens(_ x: Tensor, operand: String) throws -> Int {
        guard x.rank == 2, x.shape[0] == tokenCount else {
            throw FactoryError.invalidArgument(name: "\(operand) shape", message: "expected [\(tokenCount), width], got \(x.shape)")
        }
        return x.shape[1]
    }
}
