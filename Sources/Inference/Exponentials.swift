import Tensors

/// exp(x − shift) over a row, eight lanes at a time (`VectorExp`), with the sum accumulated in
/// `Double` in a fixed order: the probabilities, up to a common factor, that sampling and
/// log-probabilities need.
enum Exponentials {
    /// Writes exp(values[i] − shift) to `output` and returns their sum.
    static func compute(_ values: UnsafeBufferPointer<Float>, minus shift: Float, into output: UnsafeMutableBufferPointer<Float>) -> Double {
        var sum = 0.0
        var index = 0
        while index + 8 <= values.count {
            let lanes = UnsafeRawPointer(values.baseAddress! + index).loadUnaligned(as: SIMD8<Float>.self)
            let e = VectorExp.exp(lanes - shift)
            UnsafeMutableRawPointer(output.baseAddress! + index).storeBytes(of: e, as: SIMD8<Float>.self)
            sum += Double(e.sum())
            index += 8
        }
        while index < values.count {
            output[index] = VectorExp.exp(values[index] - shift)
            sum += Double(output[index])
            index += 1
        }
        return sum
    }

    /// exp(values[i] − max) for every value, and their sum.
    static func relativeToMaximum(_ values: [Float]) -> (weights: [Float], sum: Double) {
        let maximum = values.max() ?? 0
        var sum = 0.0
        let weights = [Float](unsafeUninitializedCapacity: values.count) { output, initialized in
            sum = values.withUnsafeBufferPointer { compute($0, minus: maximum, into: output) }
            initialized = values.count
        }
        return (weights, sum)
    }
}
