/// Uniform choices drawn from a ``RandomStream`` with fixed arithmetic (no standard-library
/// sampling whose algorithm could change), so corrupted documents are the same everywhere.
public struct SeededChoices {
    private var stream: RandomStream

    /// Choices drawn sequentially from `stream`.
    public init(_ stream: RandomStream) {
        self.stream = stream
    }

    /// An integer in `0..<bound` (`bound` positive).
    public mutating func int(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        return Int(stream.next() % UInt64(bound))
    }

    /// An integer in `range`.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + int(below: range.count)
    }

    /// A uniform double in [0, 1).
    public mutating func unit() -> Double {
        Double(stream.next() >> 11) * 0x1p-53
    }

    /// A uniform double in `range`.
    public mutating func double(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + unit() * (range.upperBound - range.lowerBound)
    }

    /// `true` with probability `probability`.
    public mutating func chance(_ probability: Double) -> Bool {
        unit() < probability
    }

    /// One element of a non-empty array.
    public mutating func pick<T>(_ elements: [T]) -> T {
        elements[int(below: elements.count)]
    }

    /// The elements in a uniformly random order (Fisher–Yates).
    public mutating func shuffled<T>(_ elements: [T]) -> [T] {
        var result = elements
        guard result.count > 1 else { return result }
        for index in stride(from: result.count - 1, to: 0, by: -1) {
            result.swapAt(index, int(below: index + 1))
        }
        return result
    }
}
