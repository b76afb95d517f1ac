import Tensors
import Testing

@Suite struct BFloat16Tests {
    @Test func everyBitPatternRoundTrips() {
        var failures: [UInt16] = []
        for pattern in UInt16.min...UInt16.max {
            let value = BFloat16(bitPattern: pattern).floatValue
            let back = BFloat16(value).bitPattern
            // Quiet NaNs come back unchanged; signalling ones gain the quiet bit, nothing else.
            let expected = value.isNaN ? pattern | 0x0040 : pattern
            if value.bitPattern != UInt32(pattern) << 16 || back != expected {
                failures.append(pattern)
            }
        }
        #expect(failures.isEmpty, "\(failures.count) patterns fail, first \(failures.prefix(8))")
    }

    /// Every midpoint between neighbouring finite bfloat16 values rounds to the even one, and a
    /// single `Float` ulp either side decides the direction.
    @Test func tiesRoundToEvenEverywhere() {
        var failures: [UInt32] = []
        for pattern in UInt16(0)..<0x7F7F {
            for sign: UInt32 in [0, 0x8000_0000] {
                let midpoint = sign | UInt32(pattern) << 16 | 0x8000
                let even = pattern & 1 == 0 ? pattern : pattern + 1
                let signBits = UInt16(sign >> 16)
                if BFloat16(Float(bitPattern: midpoint)).bitPattern != signBits | even
                    || BFloat16(Float(bitPattern: midpoint - 1)).bitPattern != signBits | pattern
                    || BFloat16(Float(bitPattern: midpoint + 1)).bitPattern != signBits | (pattern + 1)
                {
                    failures.append(midpoint)
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) midpoints fail, first \(failures.prefix(8))")
    }

    /// Values PyTorch 2.15 gives for `torch.tensor(x).to(torch.bfloat16)`.
    @Test func matchesPyTorchOnEdgeCases() {
        let cases: [(UInt32, UInt16)] = [
            (0x3F80_8000, 0x3F80),  // tie, rounds down to even
            (0x3F81_8000, 0x3F82),  // tie, rounds up to even
            (0x3F80_C000, 0x3F81),
            (0x3F80_7FFF, 0x3F80),
            (0x7F7F_FFFF, 0x7F80),  // beyond the largest bfloat16: infinity
            (0x7F7F_8000, 0x7F80),
            (0x7F7F_7FFF, 0x7F7F),
            (0x0000_8000, 0x0000),  // subnormal tie
            (0x0001_8000, 0x0002),
        ]
        for (input, expected) in cases {
            #expect(BFloat16(Float(bitPattern: input)).bitPattern == expected, "input \(input)")
        }
        #expect(BFloat16(Float.infinity).bitPattern == 0x7F80)
        #expect(BFloat16(-Float.infinity).bitPattern == 0xFF80)
        #expect(BFloat16(Float(bitPattern: 0x7F80_0001)).floatValue.isNaN)
        #expect(BFloat16(Float(bitPattern: 0xFF80_0001)).bitPattern == 0xFFC0)
    }

    @Test func bufferConversionMatchesScalar() {
        let values: [Float] = [0, -0.0, 1, -1.5, 3.140625, 0x1p-133, 3.4e38, .infinity, .nan, 0.1, 65504, -7e-3]
        var bits = [UInt16](repeating: 0, count: values.count)
        var back = [Float](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { source in
            bits.withUnsafeMutableBufferPointer { BFloat16.convert(source, to: $0) }
        }
        bits.withUnsafeBufferPointer { source in
            back.withUnsafeMutableBufferPointer { BFloat16.convert(source, to: $0) }
        }
        for index in values.indices {
            #expect(bits[index] == BFloat16(values[index]).bitPattern)
            #expect(back[index].bitPattern == BFloat16(values[index]).floatValue.bitPattern)
        }
    }
}
