import FactoryCore

/// Draws the random choices of one synthetic problem from a ``RandomStream`` with explicit
/// rejection sampling, so that the same seed gives the same problems on every platform and
/// Swift version (the standard library's `random(in:using:)` does not promise that).
struct SyntheticDraw {
    private var stream: RandomStream

    init(stream: RandomStream) {
        self.stream = stream
    }

    /// A uniform integer in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        let limit = UInt64.max - UInt64.max % span
        while true {
            let word = stream.next()
            if word < limit { return range.lowerBound + Int(word % span) }
        }
    }

    /// A uniform element of a non-empty array.
    mutating func pick<T>(_ choices: [T]) -> T {
        choices[int(0...(choices.count - 1))]
    }

    /// A uniform non-zero integer in `range`.
    mutating func nonZero(_ range: ClosedRange<Int>) -> Int {
        while true {
            let value = int(range)
            if value != 0 { return value }
        }
    }
}
