/// Exact fractions in lowest terms for the synthetic math generator.
struct Rational: Equatable, CustomStringConvertible {
    /// The numerator; carries the sign.
    let numerator: Int
    /// The denominator; always positive.
    let denominator: Int

    /// `numerator/denominator` reduced to lowest terms; the denominator must not be zero.
    init(_ numerator: Int, _ denominator: Int = 1) {
        precondition(denominator != 0, "a fraction's denominator must not be zero")
        let divisor = Rational.gcd(numerator, denominator)
        let sign = denominator < 0 ? -1 : 1
        self.numerator = sign * numerator / divisor
        self.denominator = sign * denominator / divisor
    }

    /// `3/4`, `-1/2`, or `5` when the denominator is 1.
    var description: String { denominator == 1 ? "\(numerator)" : "\(numerator)/\(denominator)" }

    /// The greatest common divisor of the absolute values (at least 1).
    static func gcd(_ a: Int, _ b: Int) -> Int {
        var (x, y) = (abs(a), abs(b))
        while y != 0 { (x, y) = (y, x % y) }
        return max(x, 1)
    }

    /// The least common multiple of two positive integers.
    static func lcm(_ a: Int, _ b: Int) -> Int { a / gcd(a, b) * b }
}
