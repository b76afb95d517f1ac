import Tensors

/// The safetensors element types this package reads into `Float`, by their header names.
///
/// F32 and BF16 are also written (`SafeTensorsFile.StoredDType`); F16, F64 and F8_E4M3 are read
/// only, so that checkpoints saved in those precisions load.
enum SafeTensorsDType: String, CaseIterable {
    case f32 = "F32"
    case bf16 = "BF16"
    case f16 = "F16"
    case f64 = "F64"
    case f8E4M3 = "F8_E4M3"

    /// Bytes per element.
    var size: Int {
        switch self {
        case .f32: return 4
        case .bf16, .f16: return 2
        case .f64: return 8
        case .f8E4M3: return 1
        }
    }

    /// Widens `count` little-endian elements, which `fill` reads into the raw buffer it is given,
    /// to `Float`. F32 elements are read straight into the result; the others through one buffer of
    /// their own type.
    func decode(count: Int, _ fill: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows -> [Float] {
        switch self {
        case .f32:
            return try [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                try fill(UnsafeMutableRawBufferPointer(buffer))
                initialized = count
            }
        case .bf16:
            return try Self.widen(UInt16.self, count: count, fill) { BFloat16.convert($0, to: $1) }
        case .f16:
            return try Self.widen(UInt16.self, count: count, fill) { source, destination in
                for index in 0..<source.count { destination[index] = Self.halfToFloat(source[index]) }
            }
        case .f64:
            return try Self.widen(Double.self, count: count, fill) { source, destination in
                for index in 0..<source.count { destination[index] = Float(source[index]) }
            }
        case .f8E4M3:
            return try Self.widen(UInt8.self, count: count, fill) { Float8E4M3.convert($0, to: $1) }
        }
    }

    /// Reads `count` elements of `Element` through `fill`, then converts them with `convert`.
    private static func widen<Element: BitwiseCopyable>(
        _: Element.Type, count: Int,
        _ fill: (UnsafeMutableRawBufferPointer) throws -> Void,
        convert: (UnsafeBufferPointer<Element>, UnsafeMutableBufferPointer<Float>) -> Void
    ) rethrows -> [Float] {
        let stored = try [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            try fill(UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            stored.withUnsafeBufferPointer { convert($0, buffer) }
            initialized = count
        }
    }

    /// The exact `Float` value of IEEE-754 half-precision bits (sign, 5 exponent, 10 mantissa bits);
    /// infinities and NaN payloads carry over.
    private static func halfToFloat(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x03FF)
        switch exponent {
        case 0: return Float(bitPattern: sign | (Float(mantissa) * 0x1p-24).bitPattern)
        case 0x1F: return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13)
        default: return Float(bitPattern: sign | (exponent + 112) << 23 | mantissa << 13)
        }
    }
}
