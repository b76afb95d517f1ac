/// A view of memory shared by the chunks of a parallel loop, each of which writes only its own
/// elements. The kernels' contract (disjoint writes, fixed chunking) is what makes this safe.
@frozen
public struct SendableBuffer<Element>: @unchecked Sendable {
    public let buffer: UnsafeMutableBufferPointer<Element>

    @inlinable
    public init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }

    /// A read-only buffer, shared for reading.
    @inlinable
    public init(_ buffer: UnsafeBufferPointer<Element>) { self.buffer = UnsafeMutableBufferPointer(mutating: buffer) }

    @inlinable @inline(__always)
    public subscript(index: Int) -> Element {
        get { buffer[index] }
        nonmutating set { buffer[index] = newValue }
    }

    /// The first element's address.
    @inlinable
    public var base: UnsafeMutablePointer<Element> { buffer.baseAddress! }
}
