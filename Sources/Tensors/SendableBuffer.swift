/// A view of memory shared by the chunks of a parallel loop, each of which writes only its own
/// elements. The kernels' contract (disjoint writes, fixed chunking) is what makes this safe.
struct SendableBuffer<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>

    init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }

    /// A read-only buffer, shared for reading.
    init(_ buffer: UnsafeBufferPointer<Element>) { self.buffer = UnsafeMutableBufferPointer(mutating: buffer) }

    @inline(__always)
    subscript(index: Int) -> Element {
        get { buffer[index] }
        nonmutating set { buffer[index] = newValue }
    }

    /// The first element's address.
    var base: UnsafeMutablePointer<Element> { buffer.baseAddress! }
}
