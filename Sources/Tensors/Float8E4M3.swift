/// An 8-bit float in the OCP FP8 E4M3 format, as PyTorch's `torch.float8_e4m3fn` and the
/// safetensors dtype `F8_E4M3` store it: 1 sign, 4 exponent (bias 7) and 3 mantissa bits,
/// subnormals, no infinities, a single NaN pattern per sign (`0x7F`, `0xFF`), largest finite ±448.
///
/// Converting from `Float` rounds to nearest, ties to even. What happens past the range is a choice
/// made at each conversion:
/// - saturating (the default, bit for bit what `tensor.to(torch.float8_e4m3fn)` does in PyTorch
///   2.15 on CPU, and what FP8 training recipes use after scaling): finite magnitudes above 448 and
///   ±infinity clamp to ±448;
/// - not saturating (the OCP specification's non-saturating mode): a magnitude that rounds beyond
///   448, and ±infinity, become NaN.
///
/// NaN always becomes NaN of the same sign. Converting to `Float` is exact.
public struct Float8E4M3: Hashable, Sendable, CustomStringConvertible {
    /// The 8 stored bits.
    public var bitPattern: UInt8

    /// The largest finite magnitude, 448.
    public static let greatestFiniteMagnitude: Float = 448

    /// Wraps raw bits.
    @inlinable
    public init(bitPattern: UInt8) {
        self.bitPattern = bitPattern
    }

    /// The nearest E4M3 value to `value` (ties to even), overflowing to NaN or clamping to ±448 as
    /// `saturating` says.
    public init(_ value: Float, saturating: Bool = true) {
        let bits = value.bitPattern
        let sign = UInt8(truncatingIfNeeded: (bits >> 24) & 0x80)
        let magnitude = bits & 0x7FFF_FFFF
        let magnitudeBits: UInt8
        if magnitude > Self.infinityBits {
            magnitudeBits = Self.nanBits
        } else if saturating && magnitude >= Self.greatestFiniteBits {
            magnitudeBits = 0x7E
        } else if magnitude >= Self.overflowBits {
            magnitudeBits = Self.nanBits
        } else if magnitude < Self.smallestNormalBits {
            // Subnormals are multiples of 2⁻⁹; scaling by 2⁹ is exact, and 8 · 2⁻⁹ rounds up into
            // the smallest normal, whose encoding is 8 as well.
            let units = (Float(bitPattern: magnitude) * 512).rounded(.toNearestOrEven)
            magnitudeBits = UInt8(units)
        } else {
            // Re-bias the exponent from 127 to 7, then drop 20 of the 23 mantissa bits with round to
            // nearest, ties to even; a carry moves into the exponent. Magnitudes below 480 cannot
            // carry past exponent 15, and those that reach 0x7F there are NaN, as in PyTorch.
            let rebiased = magnitude &- (120 << 23)
            let rounded = rebiased &+ 0x7_FFFF &+ ((rebiased >> 20) & 1)
            magnitudeBits = UInt8(truncatingIfNeeded: rounded >> 20)
        }
        bitPattern = sign | magnitudeBits
    }

    /// The exact `Float` value.
    @inlinable
    public var floatValue: Float {
        Self.decoded[Int(bitPattern)]
    }

    public var description: String { floatValue.description }

    /// Rounds every element of `source` into `destination`, which must have the same count.
    public static func convert(
        _ source: UnsafeBufferPointer<Float>, to destination: UnsafeMutableBufferPointer<UInt8>, saturating: Bool = true
    ) {
        precondition(source.count == destination.count, "float8 conversion of \(source.count) into \(destination.count) elements")
        for index in 0..<source.count {
            destination[index] = Float8E4M3(source[index], saturating: saturating).bitPattern
        }
    }

    /// Widens every E4M3 bit pattern of `source` into `destination`, which must have the same count.
    public static func convert(_ source: UnsafeBufferPointer<UInt8>, to destination: UnsafeMutableBufferPointer<Float>) {
        precondition(source.count == destination.count, "float8 conversion of \(source.count) into \(destination.count) elements")
        decoded.withUnsafeBufferPointer { table in
            for index in 0..<source.count {
                destination[index] = table[Int(source[index])]
            }
        }
    }

    /// The value of each of the 256 bit patterns.
    @usableFromInline
    static let decoded: [Float] = (0...255).map { pattern in
        let byte = UInt8(pattern)
        let exponent = Int((byte >> 3) & 0x0F)
        let mantissa = Float(byte & 0x07)
        let magnitude: Float
        if byte & 0x7F == nanBits {
            magnitude = .nan
        } else if exponent == 0 {
            magnitude = mantissa * 0x1p-9
        } else {
            magnitude = (1 + mantissa / 8) * Float(sign: .plus, exponent: exponent - 7, significand: 1)
        }
        return byte & 0x80 == 0 ? magnitude : -magnitude
    }

    /// The magnitude bits of NaN.
    private static let nanBits: UInt8 = 0x7F
    /// `Float` bits of +infinity; anything above is NaN.
    private static let infinityBits: UInt32 = 0x7F80_0000
    /// `Float` bits of 448.
    private static let greatestFiniteBits: UInt32 = 0x43E0_0000
    /// `Float` bits of 480, the first magnitude that does not round to a finite E4M3 (or to NaN's
    /// bit pattern, as magnitudes in (464, 480) do).
    private static let overflowBits: UInt32 = 0x43F0_0000
    /// `Float` bits of 2⁻⁶, the smallest normal E4M3 magnitude.
    private static let smallestNormalBits: UInt32 = 0x3C80_0000
}
