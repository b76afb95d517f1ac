/// A bfloat16 value: the upper 16 bits of an IEEE-754 `Float` (1 sign, 8 exponent, 7 mantissa bits).
///
/// Converting from `Float` rounds to nearest, ties to even, exactly as PyTorch and the safetensors
/// ecosystem do; values beyond the largest finite bfloat16 become infinities. A NaN stays a NaN with
/// its sign and the top 7 bits of its payload, and its quiet bit set (so that truncating a payload
/// whose high bits are all zero cannot turn it into an infinity); PyTorch's CPU kernels write a
/// canonical NaN instead, which is NaN all the same. Converting to `Float` is exact.
public struct BFloat16: Hashable, Sendable, CustomStringConvertible {
    /// The 16 stored bits.
    public var bitPattern: UInt16

    /// Wraps raw bits.
    @inlinable
    public init(bitPattern: UInt16) {
        self.bitPattern = bitPattern
    }

    /// The nearest bfloat16 to `value` (ties to even).
    @inlinable
    public init(_ value: Float) {
        let bits = value.bitPattern
        let isNaN = bits & 0x7FFF_FFFF > 0x7F80_0000
        // Adding 0x7FFF plus the lowest kept bit rounds to nearest with ties to even; a carry out of
        // the mantissa correctly bumps the exponent, up to infinity.
        let rounded = (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) >> 16
        let quietNaN = (bits >> 16) | 0x0040
        bitPattern = UInt16(truncatingIfNeeded: isNaN ? quietNaN : rounded)
    }

    /// The exact `Float` value.
    @inlinable
    public var floatValue: Float {
        Float(bitPattern: UInt32(bitPattern) << 16)
    }

    public var description: String { floatValue.description }

    /// Rounds every element of `source` into `destination`, which must have the same count.
    public static func convert(_ source: UnsafeBufferPointer<Float>, to destination: UnsafeMutableBufferPointer<UInt16>) {
        precondition(source.count == destination.count, "bfloat16 conversion of \(source.count) into \(destination.count) elements")
        for index in 0..<source.count {
            destination[index] = BFloat16(source[index]).bitPattern
        }
    }

    /// Widens every bfloat16 bit pattern of `source` into `destination`, which must have the same count.
    public static func convert(_ source: UnsafeBufferPointer<UInt16>, to destination: UnsafeMutableBufferPointer<Float>) {
        precondition(source.count == destination.count, "bfloat16 conversion of \(source.count) into \(destination.count) elements")
        for index in 0..<source.count {
            destination[index] = BFloat16(bitPattern: source[index]).floatValue
        }
    }
}
