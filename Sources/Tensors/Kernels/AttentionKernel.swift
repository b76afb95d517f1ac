import FactoryCore
import Foundation

/// Grouped-query causal attention with an optional sliding window, processed in query blocks.
///
/// Key `j` is visible to query `i` iff `j ≤ i` and, with a window `w`, `i − w < j`. Each block of
/// queries only meets the keys it can see, so a windowed layer never forms a `T × T` score matrix.
/// The forward pass keeps each query's log-sum-exp; the backward pass recomputes the
/// probabilities from it (as FlashAttention does) instead of storing them.
public enum AttentionKernel {
    /// Queries per block.
    static let blockSize = 64

    /// The shapes of one attention call.
    public struct Geometry: Sendable, Equatable {
        public let batch: Int
        public let time: Int
        public let heads: Int
        public let keyValueHeads: Int
        public let headDimension: Int
        /// `nil` for full causal attention.
        public let window: Int?

        /// Heads that share one key/value head.
        public var groupSize: Int { heads / keyValueHeads }

        /// Checks that `q [B, T, heads, d]` and `k`, `v [B, T, kvHeads, d]` fit together.
        public init(query: Tensor, key: Tensor, value: Tensor, window: Int?) throws {
            guard query.rank == 4, key.rank == 4, key.shape == value.shape,
                query.shape[0] == key.shape[0], query.shape[1] == key.shape[1], query.shape[3] == key.shape[3],
                key.shape[2] > 0, query.shape[2] % key.shape[2] == 0
            else {
                throw FactoryError.invalidArgument(
                    name: "attention shapes",
                    message: "query \(query.shape), key \(key.shape), value \(value.shape): expected [B, T, heads, d] "
                        + "and [B, T, kv_heads, d] with heads a multiple of kv_heads")
            }
            if let window, window < 1 {
                throw FactoryError.invalidArgument(name: "sliding window", message: "must be at least 1, got \(window)")
            }
            (batch, time, heads, keyValueHeads, headDimension) = (
                query.shape[0], query.shape[1], query.shape[2], key.shape[2], query.shape[3]
            )
            self.window = window
        }

        /// The keys visible to queries `block`: `[first key, end)`.
        func keyRange(for block: Range<Int>) -> Range<Int> {
            let first = window.map { max(0, block.lowerBound - $0 + 1) } ?? 0
            return first..<block.upperBound
        }

        /// Whether key `j` is visible to query `i`.
        @inline(__always)
        func isVisible(query i: Int, key j: Int) -> Bool {
            j <= i && (window.map { j > i - $0 } ?? true)
        }

        /// The widest key range of any block.
        var maximumKeyRange: Int {
            ThreadPool.chunks(count: time, grain: blockSize).map { keyRange(for: $0).count }.max() ?? 0
        }
    }

    /// The attention output `[B, T, heads, d]` and the log-sum-exp per (batch, head, query).
    public static func forward(
        query: Tensor, key: Tensor, value: Tensor, window: Int?, pool: ThreadPool = .machineWide
    ) throws -> (output: Tensor, logSumExp: [Float]) {
        let geometry = try Geometry(query: query, key: key, value: value, window: window)
        let (B, T, H, G, d) = (geometry.batch, geometry.time, geometry.heads, geometry.keyValueHeads, geometry.headDimension)
        let scale = 1 / Float(d).squareRoot()
        var output = try Tensor(shape: query.shape)
        var logSumExp = [Float](repeating: 0, count: B * H * T)
        let scratchWidth = geometry.maximumKeyRange
        query.withUnsafeBufferPointer { qs in
            key.withUnsafeBufferPointer { ks in
                value.withUnsafeBufferPointer { vs in
                    output.withUnsafeMutableBufferPointer { os in
                        logSumExp.withUnsafeMutableBufferPointer { ls in
                            let (qs, ks, vs, os, ls) = (
                                SendableBuffer(qs), SendableBuffer(ks), SendableBuffer(vs), SendableBuffer(os), SendableBuffer(ls)
                            )
                            pool.parallelFor(count: B * H, grain: 1) { tasks in
                                var scores = [Float](repeating: 0, count: blockSize * scratchWidth)
                                for task in tasks {
                                    let (b, h) = (task / H, task % H)
                                    let g = h / geometry.groupSize
                                    for block in ThreadPool.chunks(count: T, grain: blockSize) {
                                        let keys = geometry.keyRange(for: block)
                                        let queryBase = qs.base + ((b * T + block.lowerBound) * H + h) * d
                                        let keyBase = ks.base + ((b * T + keys.lowerBound) * G + g) * d
                                        let valueBase = vs.base + ((b * T + keys.lowerBound) * G + g) * d
                                        scores.withUnsafeMutableBufferPointer { ss in
                                            GEMM.multiply(
                                                m: block.count, n: keys.count, k: d, alpha: scale,
                                                a: queryBase, lda: H * d, b: keyBase, ldb: G * d, transposeB: true,
                                                c: ss.baseAddress!, ldc: keys.count, pool: .serial)
                                            for (r, i) in block.enumerated() {
                                                let row = ss.baseAddress! + r * keys.count
                                                var maximum = -Float.infinity
                                                for (c, j) in keys.enumerated() where geometry.isVisible(query: i, key: j) {
                                                    maximum = max(maximum, row[c])
                                                }
                                                var sum: Float = 0
                                                for (c, j) in keys.enumerated() {
                                                    let p = geometry.isVisible(query: i, key: j) ? expf(row[c] - maximum) : 0
                                                    row[c] = p
                                                    sum += p
                                                }
                                                for c in 0..<keys.count { row[c] /= sum }
                                                ls[(b * H + h) * T + i] = maximum + logf(sum)
                                            }
                                            GEMM.multiply(
                                                m: block.count, n: d, k: keys.count,
                                                a: ss.baseAddress!, lda: keys.count, b: valueBase, ldb: G * d,
                                                c: os.base + ((b * T + block.lowerBound) * H + h) * d, ldc: H * d, pool: .serial)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (output, logSumExp)
    }

    /// Gradients with respect to query, key and value.
    ///
    /// Each (batch, head) pair accumulates its own key and value gradients; the heads of a group
    /// are then summed in head order, so the result does not depend on the thread count.
    public static func backward(
        outputGradient dOutput: Tensor, query: Tensor, key: Tensor, value: Tensor, output: Tensor,
        logSumExp: [Float], window: Int?, pool: ThreadPool = .machineWide
    ) throws -> (query: Tensor, key: Tensor, value: Tensor) {
        let geometry = try Geometry(query: query, key: key, value: value, window: window)
        try ShapeCheck.same(dOutput, query, "attention output gradient and query")
        try ShapeCheck.same(output, query, "attention output and query")
        let (B, T, H, G, d) = (geometry.batch, geometry.time, geometry.heads, geometry.keyValueHeads, geometry.headDimension)
        guard logSumExp.count == B * H * T else {
            throw FactoryError.invalidArgument(name: "attention log-sum-exp", message: "expected \(B * H * T) values, got \(logSumExp.count)")
        }
        let scale = 1 / Float(d).squareRoot()
        var dQuery = try Tensor(shape: query.shape)
        // Per-head key and value gradients, [B, H, T, d], summed over each group at the end.
        var headKeyGradients = [Float](repeating: 0, count: B * H * T * d)
        var headValueGradients = headKeyGradients
        let scratchWidth = geometry.maximumKeyRange
        dOutput.withUnsafeBufferPointer { dos in
            query.withUnsafeBufferPointer { qs in
                key.withUnsafeBufferPointer { ks in
                    value.withUnsafeBufferPointer { vs in
                        output.withUnsafeBufferPointer { os in
                            logSumExp.withUnsafeBufferPointer { ls in
                                dQuery.withUnsafeMutableBufferPointer { dqs in
                                    headKeyGradients.withUnsafeMutableBufferPointer { dks in
                                        headValueGradients.withUnsafeMutableBufferPointer { dvs in
                                            let (dos, qs, ks, vs, os, ls, dqs, dks, dvs) = (
                                                SendableBuffer(dos), SendableBuffer(qs), SendableBuffer(ks), SendableBuffer(vs),
                                                SendableBuffer(os), SendableBuffer(ls), SendableBuffer(dqs), SendableBuffer(dks),
                                                SendableBuffer(dvs)
                                            )
                                            pool.parallelFor(count: B * H, grain: 1) { tasks in
                                                var probabilities = [Float](repeating: 0, count: blockSize * scratchWidth)
                                                var scoreGradients = probabilities
                                                for task in tasks {
                                                    let (b, h) = (task / H, task % H)
                                                    let g = h / geometry.groupSize
                                                    let headKeys = dks.base + task * T * d
                                                    let headValues = dvs.base + task * T * d
                                                    for block in ThreadPool.chunks(count: T, grain: blockSize) {
                                                        let keys = geometry.keyRange(for: block)
                                                        let rowOffset = ((b * T + block.lowerBound) * H + h) * d
                                                        let keyBase = ks.base + ((b * T + keys.lowerBound) * G + g) * d
                                                        let valueBase = vs.base + ((b * T + keys.lowerBound) * G + g) * d
                                                        probabilities.withUnsafeMutableBufferPointer { ps in
                                                            scoreGradients.withUnsafeMutableBufferPointer { dss in
                                                                let p = ps.baseAddress!
                                                                let ds = dss.baseAddress!
                                                                let n = keys.count
                                                                GEMM.multiply(
                                                                    m: block.count, n: n, k: d, alpha: scale,
                                                                    a: qs.base + rowOffset, lda: H * d, b: keyBase, ldb: G * d, transposeB: true,
                                                                    c: p, ldc: n, pool: .serial)
                                                                for (r, i) in block.enumerated() {
                                                                    let lse = ls[(b * H + h) * T + i]
                                                                    for (c, j) in keys.enumerated() {
                                                                        p[r * n + c] =
                                                                            geometry.isVisible(query: i, key: j) ? expf(p[r * n + c] - lse) : 0
                                                                    }
                                                                }
                                                                // dV += Pᵀ · dO
                                                                GEMM.multiply(
                                                                    m: n, n: d, k: block.count, a: p, lda: n, transposeA: true,
                                                                    b: dos.base + rowOffset, ldb: H * d, beta: 1,
                                                                    c: headValues + keys.lowerBound * d, ldc: d, pool: .serial)
                                                                // dP = dO · Vᵀ
                                                                GEMM.multiply(
                                                                    m: block.count, n: n, k: d, a: dos.base + rowOffset, lda: H * d,
                                                                    b: valueBase, ldb: G * d, transposeB: true, c: ds, ldc: n, pool: .serial)
                                                                // dS = P ∘ (dP − rowsum(dO ∘ O)) · scale
                                                                for r in 0..<block.count {
                                                                    let outputRow = rowOffset + r * H * d
                                                                    var delta: Float = 0
                                                                    for e in 0..<d { delta += dos[outputRow + e] * os[outputRow + e] }
                                                                    for c in 0..<n {
                                                                        ds[r * n + c] = p[r * n + c] * (ds[r * n + c] - delta) * scale
                                                                    }
                                                                }
                                                                // dQ = dS · K
                                                                GEMM.multiply(
                                                                    m: block.count, n: d, k: n, a: ds, lda: n, b: keyBase, ldb: G * d,
                                                                    c: dqs.base + rowOffset, ldc: H * d, pool: .serial)
                                                                // dK += dSᵀ · Q
                                                                GEMM.multiply(
                                                                    m: n, n: d, k: block.count, a: ds, lda: n, transposeA: true,
                                                                    b: qs.base + rowOffset, ldb: H * d, beta: 1,
                                                                    c: headKeys + keys.lowerBound * d, ldc: d, pool: .serial)
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
                    }
                }
            }
        }
        let dKey = try sumOverGroups(headKeyGradients, geometry: geometry, pool: pool)
        let dValue = try sumOverGroups(headValueGradients, geometry: geometry, pool: pool)
        return (dQuery, dKey, dValue)
    }

    /// `[B, H, T, d]` per-head gradients → `[B, T, kvHeads, d]`, adding the heads of each group in order.
    private static func sumOverGroups(_ perHead: [Float], geometry: Geometry, pool: ThreadPool) throws -> Tensor {
        let (B, T, H, G, d) = (geometry.batch, geometry.time, geometry.heads, geometry.keyValueHeads, geometry.headDimension)
        var result = try Tensor(shape: [B, T, G, d])
        perHead.withUnsafeBufferPointer { hs in
            result.withUnsafeMutableBufferPointer { rs in
                let (hs, rs) = (SendableBuffer(hs), SendableBuffer(rs))
                pool.parallelFor(count: B * T, grain: 64) { rows in
                    for row in rows {
                        let (b, t) = (row / T, row % T)
                        for g in 0..<G {
                            let target = (row * G + g) * d
                            for h in (g * geometry.groupSize)..<((g + 1) * geometry.groupSize) {
                                let source = ((b * H + h) * T + t) * d
                                for e in 0..<d { rs[target + e] += hs[source + e] }
                            }
                        }
                    }
                }
            }
        }
        return result
    }
}
