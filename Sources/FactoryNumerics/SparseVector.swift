/// A sparse vector: strictly increasing indices and their values.
public struct SparseVector: Equatable, Sendable {
    /// The positions of the stored entries, strictly increasing.
    public var indices: [Int32]
    /// The entries' values.
    public var values: [Float]

    /// A vector of `indices` (strictly increasing) and `values`.
    public init(indices: [Int32] = [], values: [Float] = []) {
        precondition(indices.count == values.count, "one value per index")
        self.indices = indices
        self.values = values
    }

    /// Stored entries.
    public var count: Int { indices.count }

    /// The dot product with a dense vector, summed in index order.
    public func dot(_ dense: UnsafeBufferPointer<Double>) -> Double {
        var sum = 0.0
        for entry in 0..<indices.count { sum += Double(values[entry]) * dense[Int(indices[entry])] }
        return sum
    }

    /// This vector followed by `dense` values at indices `offset`, `offset + 1`, … (zeros skipped);
    /// `offset` must exceed every stored index.
    public func appending(dense: [Double], at offset: Int) -> SparseVector {
        precondition(indices.last.map { Int($0) < offset } ?? true, "appended entries must come after the stored ones")
        var result = self
        for (position, value) in dense.enumerated() where value != 0 {
            result.indices.append(Int32(offset + position))
            result.values.append(Float(value))
        }
        return result
    }
}
