import Foundation

/// "Nice" axis ticks: round values (a multiple of 1, 2 or 5 times a power of ten) that cover a
/// data range, so an axis reads 0, 20, 40, … rather than 3.1, 22.7, 42.3, ….
public struct AxisTicks: Equatable, Sendable {
    /// The tick values, ascending; the first is at or below the data minimum and the last at or above
    /// the data maximum.
    public let values: [Double]
    /// The digits after the decimal point that show every tick exactly (0 for a step of 1, 2 or 5
    /// or more; 1 for 0.1, 0.2, 0.5; …).
    public let decimals: Int
    /// The axis domain: the first and last tick.
    public var domain: ClosedRange<Double> { values.first!...values.last! }
    /// Whether the ticks are for a logarithmic axis (labels then drop trailing zeros).
    public let isLogarithmic: Bool

    /// Linear ticks covering `minimum...maximum`, about `targetCount` intervals (at least 1).
    ///
    /// The step is the smallest of 1, 2, 5 or 10 times a power of ten that is at least the span
    /// divided by `targetCount`. Ticks are computed as integer multiples of the step, so they carry
    /// no accumulated rounding error. An empty range (`minimum == maximum`) is widened to a unit
    /// around the value (or `0...1` for zero); non-finite bounds give `0...1`.
    public static func linear(minimum: Double, maximum: Double, targetCount: Int = 5) -> AxisTicks {
        var (low, high) = (min(minimum, maximum), max(minimum, maximum))
        if !low.isFinite || !high.isFinite { (low, high) = (0, 1) }
        if low == high {
            if low == 0 {
                high = 1
            } else {
                let unit = pow(10, floor(log10(abs(low))))
                (low, high) = (low - unit, high + unit)
            }
        }
        let rough = (high - low) / Double(max(targetCount, 1))
        var exponent = Int(floor(log10(rough)))
        let residual = rough / power(exponent)
        let mantissa: Int
        switch residual {
        case ...1.0000001: mantissa = 1
        case ...2.0000001: mantissa = 2
        case ...5.0000001: mantissa = 5
        default:
            mantissa = 1
            exponent += 1
        }
        let step = Double(mantissa) * power(exponent)
        let first = Int((low / step + 1e-9).rounded(.down))
        let last = max(Int((high / step - 1e-9).rounded(.up)), first + 1)
        let values = (first...last).map { value($0 * mantissa, exponent: exponent) }
        return AxisTicks(values: values, decimals: max(0, -exponent), isLogarithmic: false)
    }

    /// Ticks at powers of ten covering `minimum...maximum`, with 2× and 5× ticks in between when
    /// the range spans at most two decades. Both bounds must be positive; other values are clamped
    /// to the positive one given, or to `1...10`.
    public static func logarithmic(minimum: Double, maximum: Double) -> AxisTicks {
        var (low, high) = (min(minimum, maximum), max(minimum, maximum))
        if !(low > 0) || !low.isFinite { low = high > 0 && high.isFinite ? high : 1 }
        if !(high > 0) || !high.isFinite { high = low }
        let lowExponent = Int(floor(log10(low) + 1e-9))
        let highExponent = max(Int(ceil(log10(high) - 1e-9)), lowExponent + 1)
        let multiples = highExponent - lowExponent <= 2 ? [1, 2, 5] : [1]
        var values = [Double]()
        for exponent in lowExponent..<highExponent {
            values += multiples.map { value($0, exponent: exponent) }
        }
        values.append(value(1, exponent: highExponent))
        return AxisTicks(values: values, decimals: max(0, -lowExponent), isLogarithmic: true)
    }

    /// `tick` as axis text: fixed ``decimals`` (trimmed on a logarithmic axis), or with a k/M/G suffix once ticks reach 10,000.
    public func label(_ tick: Double) -> String {
        let largest = values.map(abs).max() ?? 0
        if largest >= 10_000 {
            let divisor = largest >= 1e9 ? 1e9 : largest >= 1e6 ? 1e6 : 1e3
            let decimalsNeeded = max(0, decimals - Int(log10(divisor)))
            let step = values.count > 1 ? abs(values[1] - values[0]) : divisor
            let stepDecimals = max(0, -Int(floor(log10(step / divisor) + 1e-9)))
            return NumberFormatting.compact(tick, decimals: max(decimalsNeeded, stepDecimals))
        }
        return isLogarithmic
            ? NumberFormatting.trimmed(tick, decimals: decimals) : NumberFormatting.fixed(tick, decimals: decimals)
    }

    /// `10^exponent` exactly representable for non-negative exponents, correctly rounded otherwise.
    private static func power(_ exponent: Int) -> Double {
        exponent >= 0 ? pow(10, Double(exponent)) : 1 / pow(10, Double(-exponent))
    }

    /// `multiple × 10^exponent`, as close to the decimal value as a double allows (`3 × 10^-1` is
    /// 0.3, not 0.30000000000000004).
    private static func value(_ multiple: Int, exponent: Int) -> Double {
        exponent >= 0 ? Double(multiple) * pow(10, Double(exponent)) : Double(multiple) / pow(10, Double(-exponent))
    }

}
