import Foundation

/// Attention of one query (one head of the newest token) over cached keys and values already
/// widened to fp32: the inner loop of a decode step.
///
/// Scores `q · kⱼ / √d`, a softmax by the largest score, and `Σⱼ pⱼ vⱼ / Σⱼ pⱼ`, each summed in
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
            let key = keys + j * d
            var dot: Float = 0
            for i in 0..<d { dot += query[i] * key[i] }
            let score = dot * scale
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
        for j in 0..<count {
            let (p, value) = (scores[j] / sum, values + j * d)
            for i in 0..<d { output[i] += p * value[i] }
        }
    }
}
