/// The Philox4x32-10 counter-based block function (Salmon et al., SC 2011, "Parallel random
/// numbers: as easy as 1, 2, 3"): a keyed bijection from a 128-bit counter to 128 random bits.
///
/// Because output `i` depends only on (key, i), any element of a stream can be computed
/// directly, in any order, on any thread, and the result never depends on how work is split.
public enum Philox4x32 {
    @usableFromInline static let multiplier0: UInt32 = 0xD251_1F53
    @usableFromInline static let multiplier1: UInt32 = 0xCD9E_8D57
    @usableFromInline static let weyl0: UInt32 = 0x9E37_79B9
    @usableFromInline static let weyl1: UInt32 = 0xBB67_AE85

    /// Ten rounds of Philox over `counter` with `key`.
    @inlinable
    public static func block(counter: SIMD4<UInt32>, key: SIMD2<UInt32>) -> SIMD4<UInt32> {
        var x = counter
        var k = key
        for round in 0..<10 {
            if round > 0 {
                k.x &+= weyl0
                k.y &+= weyl1
            }
            let product0 = UInt64(multiplier0) &* UInt64(x.x)
            let product1 = UInt64(multiplier1) &* UInt64(x.z)
            let high0 = UInt32(truncatingIfNeeded: product0 >> 32)
            let low0 = UInt32(truncatingIfNeeded: product0)
            let high1 = UInt32(truncatingIfNeeded: product1 >> 32)
            let low1 = UInt32(truncatingIfNeeded: product1)
            x = SIMD4(high1 ^ x.y ^ k.x, low1, high0 ^ x.w ^ k.y, low0)
        }
        return x
    }
}
