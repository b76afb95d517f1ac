import Tensors
import Testing

@Suite struct Float8E4M3Tests {
    @Test func knownBitPatterns() {
        #expect(Float8E4M3(bitPattern: 0x00).floatValue == 0)
        #expect(Float8E4M3(bitPattern: 0x80).floatValue.bitPattern == (-0.0 as Float).bitPattern)
        #expect(Float8E4M3(bitPattern: 0x01).floatValue == 0x1p-9)
        #expect(Float8E4M3(bitPattern: 0x07).floatValue == 7 * 0x1p-9)
        #expect(Float8E4M3(bitPattern: 0x08).floatValue == 0x1p-6)
        #expect(Float8E4M3(bitPattern: 0x38).floatValue == 1)
        #expect(Float8E4M3(bitPattern: 0x3A).floatValue == 1.25)
        #expect(Float8E4M3(bitPattern: 0x7E).floatValue == Float8E4M3.greatestFiniteMagnitude)
        #expect(Float8E4M3(bitPattern: 0xFE).floatValue == -448)
        #expect(Float8E4M3(bitPattern: 0x7F).floatValue.isNaN)
        #expect(Float8E4M3(bitPattern: 0xFF).floatValue.isNaN)
        #expect(Float8E4M3(bitPattern: 0x78).floatValue == 256)
    }

    @Test func everyBitPatternRoundTrips() {
        var nanCount = 0
        for pattern in UInt8.min...UInt8.max {
            let value = Float8E4M3(bitPattern: pattern).floatValue
            if value.isNaN {
                nanCount += 1
                #expect(Float8E4M3(value).bitPattern == pattern)
                continue
            }
            #expect(value.isFinite)
            #expect(Float8E4M3(value, saturating: true).bitPattern == pattern, "pattern \(pattern)")
            #expect(Float8E4M3(value, saturating: false).bitPattern == pattern, "pattern \(pattern)")
        }
        #expect(nanCount == 2)
    }

    /// Positive patterns increase strictly, and each midpoint between neighbours rounds to the one
    /// with an even bit pattern.
    @Test func orderAndTiesToEven() {
        for pattern in UInt8(0)..<0x7E {
            let low = Float8E4M3(bitPattern: pattern).floatValue
            let high = Float8E4M3(bitPattern: pattern + 1).floatValue
            #expect(low < high)
            let midpoint = (low + high) / 2
            let even = pattern & 1 == 0 ? pattern : pattern + 1
            #expect(Float8E4M3(midpoint).bitPattern == even, "midpoint of \(pattern) and \(pattern + 1)")
            #expect(Float8E4M3(-midpoint).bitPattern == 0x80 | even)
            #expect(Float8E4M3(midpoint.nextDown).bitPattern == pattern)
            #expect(Float8E4M3(midpoint.nextUp).bitPattern == pattern + 1)
        }
    }

    /// Values PyTorch 2.15 gives for `torch.tensor(xs).to(torch.float8_e4m3fn)` on CPU.
    @Test func matchesPyTorchOnEdgeCases() {
        let cases: [(Float, UInt8)] = [
            (1.0625, 0x38), (1.1875, 0x3A), (464, 0x7E), (465, 0x7E), (479.9, 0x7E), (480, 0x7E),
            (1e6, 0x7E), (.infinity, 0x7E), (-.infinity, 0xFE), (0x1p-10, 0x00), (3 * 0x1p-10, 0x02),
            (0.9 * 0x1p-6, 0x07), (15 * 0x1p-10, 0x08), (1e-30, 0x00), (-0.0, 0x80), (300, 0x79),
            (0.3, 0x2A), (-0.3, 0xAA), (100, 0x6C), (.nan, 0x7F), (-Float.nan, 0xFF),
        ]
        for (input, expected) in cases {
            #expect(Float8E4M3(input).bitPattern == expected, "input \(input)")
        }
    }

    @Test func nonSaturatingOverflowsToNaN() {
        #expect(Float8E4M3(464, saturating: false).bitPattern == 0x7E)
        #expect(Float8E4M3(465, saturating: false).bitPattern == 0x7F)
        #expect(Float8E4M3(-470, saturating: false).bitPattern == 0xFF)
        #expect(Float8E4M3(1e6, saturating: false).bitPattern == 0x7F)
        #expect(Float8E4M3(.infinity, saturating: false).bitPattern == 0x7F)
        #expect(Float8E4M3(-.infinity, saturating: false).bitPattern == 0xFF)
        #expect(Float8E4M3(.nan, saturating: false).bitPattern == 0x7F)
    }

    @Test func bufferConversionMatchesScalar() {
        let values: [Float] = [0, 1, -2.5, 0.01, 500, -1e9, .nan, 0x1p-9, 447]
        for saturating in [true, false] {
            var bits = [UInt8](repeating: 0, count: values.count)
            var back = [Float](repeating: 0, count: values.count)
            values.withUnsafeBufferPointer { source in
                bits.withUnsafeMutableBufferPointer { Float8E4M3.convert(source, to: $0, saturating: saturating) }
            }
            bits.withUnsafeBufferPointer { source in
                back.withUnsafeMutableBufferPointer { Float8E4M3.convert(source, to: $0) }
            }
            for index in values.indices {
                let scalar = Float8E4M3(values[index], saturating: saturating)
                #expect(bits[index] == scalar.bitPattern)
                #expect(back[index].bitPattern == scalar.floatValue.bitPattern)
            }
        }
    }
}
