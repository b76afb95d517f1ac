/// Row operations eight lanes at a time (softmax and activation building blocks).
enum VectorRow {
    /// The largest of `count` values.
    @inline(__always)
    static func maximum(_ row: UnsafeMutablePointer<Float>, count: Int) -> Float {
        var lanes = SIMD8<Float>(repeating: -.infinity)
        var index = 0
        while index + 8 <= count {
            lanes = pointwiseMax(lanes, UnsafeRawPointer(row + index).loadUnaligned(as: SIMD8<Float>.self))
            index += 8
        }
        var result = lanes.max()
        while index < count {
            result = max(result, row[index])
            index += 1
        }
        return result
    }

    /// Writes `exp(row[i] − shift)` to `output` and returns their sum (lanes summed in a fixed order).
    @inline(__always)
    static func exponentiate(
        _ row: UnsafeMutablePointer<Float>, minus shift: Float, into output: UnsafeMutablePointer<Float>, count: Int
    ) -> Float {
        var sums = SIMD8<Float>()
        var index = 0
        while index + 8 <= count {
            let e = VectorExp.exp(UnsafeRawPointer(row + index).loadUnaligned(as: SIMD8<Float>.self) - shift)
            UnsafeMutableRawPointer(output + index).storeBytes(of: e, as: SIMD8<Float>.self)
            sums += e
            index += 8
        }
        var sum = sums.sum()
        while index < count {
            let e = VectorExp.exp(row[index] - shift)
            output[index] = e
            sum += e
            index += 1
        }
        return sum
    }

    /// `sigmoid(x) = 1 / (1 + e^−x)` for eight lanes.
    @inline(__always)
    static func sigmoid(_ x: SIMD8<Float>) -> SIMD8<Float> {
        1 / (1 + VectorExp.exp(-x))
    }
}
