import Foundation

/// Attention of one query (one head of the newest token) over cached keys and values already
/// widened to fp32: the inner loop of a decode step.
///
/// Scores `q · kⱼ / √d` (`RowwiseLinearKernel.dot`), a softmax by the largest score, and `Σⱼ pⱼ vⱼ / Σⱼ pⱼ`, each summed in
/// key order, so the result depends only on this query and these keys, never on a batch.
public enum DecodeAttentionKernel {
    /// Writes the output `[d]` of query `[d]` over `count` keys and values `[count, d]` (rows
    /// contiguous); `scores` is scratch of at least `count` elements.
    public static func attend(
        query: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>, count: Int, headDimension d: Int,
        scores: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>
    ) {
        let scale = 1 / Float(d).squareRoot()
        var maximum = -Float.infinity
        for j in 0..<count {
            let score = RowwiseLinearKernel.dot(query, keys + j * d, count: d) * scale
            scores[j] = score
            maximum = max(maximum, score)
        }
        var sum: Float = 0
        for j in 0..<count {
            let p = expf(scores[j] - maximum)
            scores[j] = p
            sum += p
        }
        output.update(repeating: 0, count: d)
        let whole = d / 4 * 4
        for j in 0..<count {
            let (p, value) = (scores[j] / sum, values + j * d)
            let weight = SIMD4<Float>(repeating: p)
            var i = 0
            while i < whole {
                let target = UnsafeMutableRawPointer(output + i)
                let current = target.loadUnaligned(as: SIMD4<Float>.self)
                target.storeBytes(of: current + weight * UnsafeRawPointer(value + i).loadUnaligned(as: SIMD4<Float>.self), as: SIMD4<Float>.self)
                i += 4
            }
            while i < d {
                output[i] += p * value[i]
                i += 1
            }
        }
    }
}
