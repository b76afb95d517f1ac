import FactoryCore
import Foundation

/// Locale-independent number formatting for reports: the same value always gives the same text.
public enum NumberFormatting {
    /// `value` with exactly `decimals` digits after the point (`1234.5` → `"1234.50"`); never `-0`.
    /// Not-a-number gives `"NaN"`, infinities `"∞"` and `"-∞"`.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value < 0 ? "-∞" : "∞") }
        let text = String(format: "%.\(max(decimals, 0))f", value)
        return isNegativeZero(text) ? String(text.dropFirst()) : text
    }

    /// `value` with `,` between groups of three integer digits and `decimals` fixed decimals
    /// (`1234567.891`, 2 → `"1,234,567.89"`).
    public static func grouped(_ value: Double, decimals: Int = 0) -> String {
        let text = fixed(value, decimals: decimals)
        guard value.isFinite else { return text }
        let negative = text.hasPrefix("-")
        let unsigned = negative ? text.dropFirst() : Substring(text)
        let point = unsigned.firstIndex(of: ".") ?? unsigned.endIndex
        let integer = Array(unsigned[..<point])
        var groupedInteger = ""
        for (index, digit) in integer.enumerated() {
            if index > 0 && (integer.count - index) % 3 == 0 { groupedInteger.append(",") }
            groupedInteger.append(digit)
        }
        return (negative ? "-" : "") + groupedInteger + unsigned[point...]
    }

    /// An integer with thousands separators (`47210` → `"47,210"`).
    public static func grouped(_ value: Int) -> String {
        grouped(Double(value), decimals: 0)
    }

    /// `fraction` as a percentage with `decimals` decimals (`0.1234` → `"12.3%"`).
    public static func percent(_ fraction: Double, decimals: Int = 1) -> String {
        fixed(fraction * 100, decimals: decimals) + "%"
    }

    /// A short magnitude with an SI suffix and at most `decimals` decimals, trailing zeros dropped:
    /// `950` → `"950"`, `12_500` → `"12.5k"`, `3_000_000` → `"3M"`.
    public static func compact(_ value: Double, decimals: Int = 1) -> String {
        let magnitude = abs(value)
        let (divisor, suffix): (Double, String) =
            switch magnitude {
            case 1e12...: (1e12, "T")
            case 1e9...: (1e9, "G")
            case 1e6...: (1e6, "M")
            case 1e3...: (1e3, "k")
            default: (1, "")
            }
        return trimmed(value / divisor, decimals: decimals) + suffix
    }

    /// `value` rounded to `decimals` decimals without trailing zeros (`12.50` → `"12.5"`, `3.0` → `"3"`).
    public static func trimmed(_ value: Double, decimals: Int) -> String {
        var text = fixed(value, decimals: decimals)
        guard value.isFinite, text.contains(".") else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return isNegativeZero(text) ? String(text.dropFirst()) : text
    }

    /// A byte count in binary units with one decimal (`1536` → `"1.5 KiB"`, `512` → `"512 B"`).
    public static func bytes(_ count: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var value = Double(count)
        var unit = 0
        while abs(value) >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : fixed(value, decimals: 1) + " " + units[unit]
    }

    /// A duration: under a minute as seconds with `decimals` decimals (`"4.2 s"`), longer as
    /// `m:ss` or `h:mm:ss` (FactoryCore's ``ProgressReporter/formatDuration(_:)``).
    public static func duration(_ seconds: Double, decimals: Int = 1) -> String {
        guard seconds.isFinite else { return fixed(seconds, decimals: 0) }
        return abs(seconds) < 59.5 ? fixed(seconds, decimals: decimals) + " s" : ProgressReporter.formatDuration(seconds)
    }

    private static func isNegativeZero(_ text: String) -> Bool {
        text.hasPrefix("-") && text.allSatisfy { $0 == "-" || $0 == "0" || $0 == "." }
    }
}
