import FactoryCore

/// A dense row-major tensor of `Float` with contiguous storage.
///
/// A value type: copies share storage until one of them is written (copy on write).
public struct Tensor: Equatable, Sendable {
    /// Extent of each dimension, outermost first.
    public private(set) var shape: [Int]
    /// The elements in row-major order; `storage.count == shape.product`.
    public private(set) var storage: [Float]

    /// A tensor of `shape` with every element set to `value`.
    public init(shape: [Int], repeating value: Float = 0) throws {
        let count = try Tensor.elementCount(of: shape)
        self.shape = shape
        self.storage = [Float](repeating: value, count: count)
    }

    /// A tensor of `shape` over `storage`; the counts must agree.
    public init(shape: [Int], storage: [Float]) throws {
        let count = try Tensor.elementCount(of: shape)
        guard count == storage.count else {
            throw FactoryError.invalidArgument(
                name: "tensor storage",
                message: "shape \(shape) needs \(count) elements, got \(storage.count)")
        }
        self.shape = shape
        self.storage = storage
    }

    /// Number of elements.
    public var count: Int { storage.count }

    /// Number of dimensions.
    public var rank: Int { shape.count }

    /// The element at a multi-dimensional index.
    public subscript(indices: Int...) -> Float {
        get { storage[offset(of: indices)] }
        set { storage[offset(of: indices)] = newValue }
    }

    /// The same elements under another shape with the same element count.
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        try Tensor(shape: newShape, storage: storage)
    }

    /// Read access to the elements.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer(body)
    }

    /// Write access to the elements.
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (inout UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        try storage.withUnsafeMutableBufferPointer(body)
    }

    private func offset(of indices: [Int]) -> Int {
        precondition(indices.count == shape.count, "index \(indices) does not match shape \(shape)")
        var offset = 0
        for (index, extent) in zip(indices, shape) {
            precondition(index >= 0 && index < extent, "index \(indices) is out of bounds for shape \(shape)")
            offset = offset * extent + index
        }
        return offset
    }

    private static func elementCount(of shape: [Int]) throws -> Int {
        var count = 1
        for extent in shape {
            guard extent >= 0 else {
                throw FactoryError.invalidArgument(name: "tensor shape", message: "\(shape) has a negative extent")
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: extent)
            guard !overflow else {
                throw FactoryError.invalidArgument(name: "tensor shape", message: "\(shape) has too many elements")
            }
            count = product
        }
        return count
    }
}
