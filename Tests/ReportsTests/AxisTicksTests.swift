import Testing

@testable import Reports

@Suite struct AxisTicksTests {
    @Test func coversRoundRanges() {
        #expect(AxisTicks.linear(minimum: 0, maximum: 100).values == [0, 20, 40, 60, 80, 100])
        #expect(AxisTicks.linear(minimum: 3, maximum: 97).values == [0, 20, 40, 60, 80, 100])
        #expect(AxisTicks.linear(minimum: 0, maximum: 1).values == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(AxisTicks.linear(minimum: 0, maximum: 1).decimals == 1)
    }

    @Test func picksOneTwoOrFiveSteps() {
        // Span 4.0 over 5 intervals: rough step 0.8 → 1.
        #expect(AxisTicks.linear(minimum: -1.3, maximum: 2.7).values == [-2, -1, 0, 1, 2, 3])
        // Span 0.07 → rough 0.014 → 0.02.
        #expect(AxisTicks.linear(minimum: 0.41, maximum: 0.48).values == [0.4, 0.42, 0.44, 0.46, 0.48])
        #expect(AxisTicks.linear(minimum: 0.41, maximum: 0.48).decimals == 2)
        // Span 21 → rough 4.2 → 5.
        #expect(AxisTicks.linear(minimum: 2, maximum: 23).values == [0, 5, 10, 15, 20, 25])
        // Span 45,000 → rough 9,000 → 10,000.
        #expect(AxisTicks.linear(minimum: 0, maximum: 45_000).values == [0, 10_000, 20_000, 30_000, 40_000, 50_000])
    }

    @Test func ticksAreExactDecimals() {
        // 0.1 + 0.2 accumulation would give 0.30000000000000004; ticks are integer multiples.
        let ticks = AxisTicks.linear(minimum: 0, maximum: 0.5)
        #expect(ticks.values == [0, 0.1, 0.2, 0.3, 0.4, 0.5])
        #expect(ticks.values.map(ticks.label) == ["0.0", "0.1", "0.2", "0.3", "0.4", "0.5"])
    }

    @Test func widensEmptyAndBadRanges() {
        #expect(AxisTicks.linear(minimum: 0, maximum: 0).domain == 0...1)
        let around = AxisTicks.linear(minimum: 5, maximum: 5)
        #expect(around.domain.contains(5) && around.domain.lowerBound < 5 && around.domain.upperBound > 5)
        #expect(AxisTicks.linear(minimum: .nan, maximum: 3).domain == 0...1)
    }

    @Test func coversEveryRangeWithFewTicks() {
        // Against the definition on many ranges: covering, equally spaced, 3...11 ticks.
        var state: UInt64 = 12345
        for _ in 0..<500 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let a = Double(Int64(bitPattern: state) % 100_000) / 97
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let b = a + Double(state % 50_000) / 13 + 0.001
            let ticks = AxisTicks.linear(minimum: a, maximum: b)
            #expect(ticks.values.first! <= a && ticks.values.last! >= b)
            #expect((3...12).contains(ticks.values.count), "range \(a)...\(b) gave \(ticks.values)")
            let step = ticks.values[1] - ticks.values[0]
            for (previous, next) in zip(ticks.values, ticks.values.dropFirst()) {
                #expect(abs((next - previous) - step) <= step * 1e-9)
            }
        }
    }

    @Test func logarithmicTicksArePowersOfTen() {
        let wide = AxisTicks.logarithmic(minimum: 0.03, maximum: 420)
        #expect(wide.values == [0.01, 0.1, 1, 10, 100, 1000])
        #expect(wide.values.map(wide.label) == ["0.01", "0.1", "1", "10", "100", "1000"])
        #expect(AxisTicks.logarithmic(minimum: 10, maximum: 100).values == [10, 20, 50, 100])
        #expect(AxisTicks.logarithmic(minimum: 2, maximum: 3).values == [1, 2, 5, 10])
        #expect(AxisTicks.logarithmic(minimum: 0.5, maximum: 9).values == [0.1, 0.2, 0.5, 1, 2, 5, 10])
    }

    @Test func largeTicksGetSuffixes() {
        let ticks = AxisTicks.linear(minimum: 0, maximum: 2_500_000)
        #expect(ticks.values.map(ticks.label) == ["0", "500k", "1M", "1.5M", "2M", "2.5M"])
    }
}

@Suite struct ChartScaleTests {
    @Test func mapsLinearly() {
        let scale = ChartScale(domain: 0...100, start: 300, end: 20)
        #expect(scale.position(0) == 300)
        #expect(scale.position(100) == 20)
        #expect(scale.position(25) == 230)
        #expect(scale.position(150) == -120)
        #expect(scale.position(.nan) == nil)
    }

    @Test func mapsLogarithmically() {
        let scale = ChartScale(domain: 1...1000, start: 0, end: 300, kind: .logarithmic)
        #expect(abs(scale.position(10)! - 100) < 1e-9)
        #expect(abs(scale.position(100)! - 200) < 1e-9)
        #expect(scale.position(0) == nil)
        #expect(scale.position(-5) == nil)
    }
}

@Suite struct NumberFormattingTests {
    @Test func formatsFixedAndGrouped() {
        #expect(NumberFormatting.fixed(2.345, decimals: 1) == "2.3")
        #expect(NumberFormatting.fixed(-0.0001, decimals: 2) == "0.00")
        #expect(NumberFormatting.grouped(1_234_567.891, decimals: 2) == "1,234,567.89")
        #expect(NumberFormatting.grouped(-1_234) == "-1,234")
        #expect(NumberFormatting.grouped(999) == "999")
        #expect(NumberFormatting.grouped(100_000) == "100,000")
        #expect(NumberFormatting.percent(0.1234) == "12.3%")
        #expect(NumberFormatting.trimmed(12.50, decimals: 2) == "12.5")
        #expect(NumberFormatting.trimmed(-0.001, decimals: 2) == "0")
    }

    @Test func formatsMagnitudesBytesAndDurations() {
        #expect(NumberFormatting.compact(950) == "950")
        #expect(NumberFormatting.compact(12_500) == "12.5k")
        #expect(NumberFormatting.compact(3_000_000) == "3M")
        #expect(NumberFormatting.bytes(512) == "512 B")
        #expect(NumberFormatting.bytes(1536) == "1.5 KiB")
        #expect(NumberFormatting.bytes(37 * 1024 * 1024) == "37.0 MiB")
        #expect(NumberFormatting.duration(4.24) == "4.2 s")
        #expect(NumberFormatting.duration(754) == "12:34")
        #expect(NumberFormatting.duration(3723) == "1:02:03")
    }
}
