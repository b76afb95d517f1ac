/// A vectorized single-precision `exp` (Cephes' `expf` polynomial with Cody–Waite range
/// reduction), eight lanes at a time: about 1 ulp from the correctly rounded result over the
/// normal range, 0 below -87.3 (where `expf` underflows) and +∞ above 88.7.
public enum VectorExp {
    @inlinable
    public static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let clamped = x.clamped(lowerBound: SIMD8(repeating: -87.336_54), upperBound: SIMD8(repeating: 88.722_83))
        // Round to the nearest integer by adding 1.5·2²³: the integer lands in the low mantissa bits
        // (|n| ≤ 128 here), readable as an Int32 without a lane-by-lane conversion.
        let shifted = clamped * 1.442_695_04 + 12_582_912
        let n = shifted - 12_582_912
        var r = clamped - n * 0.693_359_375
        r = r - n * -2.121_944_4e-4
        let r2 = r * r
        var p = SIMD8<Float>(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_12e-1
        let polynomial = p * r2 + r + 1
        // 2^n as two factors 2^⌊n/2⌋ · 2^⌈n/2⌉, each a normal float over the whole range.
        let whole = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000
        let half = whole &>> 1
        let first = unsafeBitCast((half &+ 127) &<< 23, to: SIMD8<Float>.self)
        let second = unsafeBitCast((whole &- half &+ 127) &<< 23, to: SIMD8<Float>.self)
        var result = polynomial * first * second
        result.replace(with: 0, where: x .< -87.336_54)
        result.replace(with: .infinity, where: x .> 88.722_83)
        return result
    }

    /// `exp` of one value through the vector path (so scalar tails round like the lanes).
    @inlinable
    public static func exp(_ x: Float) -> Float { exp(SIMD8(repeating: x))[0] }
}
