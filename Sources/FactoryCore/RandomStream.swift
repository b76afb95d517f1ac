import Foundation

/// A splittable, counter-based random stream.
///
/// A stream is a Philox key; its values are Philox blocks of consecutive counters. `split` derives
/// an independent child stream by hashing the parent key with a label, so the stream for
/// `RandomStream(seed: 7).split("replica", 3).split("dropout").split(17)` is the same on every
/// machine, in every process, whatever the thread count. Values can be drawn sequentially
/// (`RandomNumberGenerator`) or addressed directly by index (`word(at:)`), which lets parallel
/// kernels fill a tensor in any chunking with identical results.
public struct RandomStream: RandomNumberGenerator, Sendable, Equatable {
    /// The Philox key that identifies this stream.
    public let key: SIMD2<UInt32>
    /// The index of the next 64-bit word that `next()` returns.
    public private(set) var position: UInt64 = 0

    /// The root stream of a seed.
    public init(seed: UInt64) {
        self.init(key: SIMD2(UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32)))
    }

    private init(key: SIMD2<UInt32>) {
        self.key = key
    }

    /// An independent child stream named by a label.
    public func split(_ label: String) -> RandomStream {
        derive(tag: 1, payload: Array(label.utf8))
    }

    /// An independent child stream named by an index (a step, a replica, a layer).
    public func split(_ index: Int) -> RandomStream {
        let value = UInt64(bitPattern: Int64(index))
        return derive(tag: 2, payload: (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) })
    }

    /// Shorthand for `split(label).split(index)`.
    public func split(_ label: String, _ index: Int) -> RandomStream {
        split(label).split(index)
    }

    /// Derives a child key from SHA-256 of (parent key, kind tag, payload): distinct labels and
    /// indices give unrelated keys, and the derivation is identical on every platform.
    private func derive(tag: UInt8, payload: [UInt8]) -> RandomStream {
        var hasher = DigestHasher()
        var header = [UInt8]()
        for word in [key.x, key.y] {
            for shift in stride(from: 0, to: 32, by: 8) { header.append(UInt8(truncatingIfNeeded: word >> UInt32(shift))) }
        }
        header.append(tag)
        hasher.update(header)
        hasher.update(payload)
        let bytes = hasher.finalize().bytes
        func word(_ offset: Int) -> UInt32 {
            (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << UInt32(8 * $1) }
        }
        return RandomStream(key: SIMD2(word(0), word(4)))
    }

    /// The 64-bit word at `index` of this stream, independent of `position`.
    @inlinable
    public func word(at index: UInt64) -> UInt64 {
        let blockIndex = index >> 1
        let block = Philox4x32.block(
            counter: SIMD4(UInt32(truncatingIfNeeded: blockIndex), UInt32(truncatingIfNeeded: blockIndex >> 32), 0, 0),
            key: key)
        return index & 1 == 0
            ? UInt64(block.x) | UInt64(block.y) << 32
            : UInt64(block.z) | UInt64(block.w) << 32
    }

    /// A uniform `Float` in [0, 1) at `index`, with 24 random bits.
    @inlinable
    public func uniform(at index: UInt64) -> Float {
        Float(word(at: index) >> 40) * 0x1p-24
    }

    /// A standard normal `Float` at `index` (Box–Muller on the two halves of one word).
    @inlinable
    public func normal(at index: UInt64) -> Float {
        let bits = word(at: index)
        // u1 in (0, 1] so that the logarithm is finite; u2 in [0, 1).
        let u1 = (Double(bits >> 40) + 1) * 0x1p-24
        let u2 = Double(bits & 0xFF_FFFF) * 0x1p-24
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }

    /// The next word of the sequential view of this stream.
    public mutating func next() -> UInt64 {
        defer { position &+= 1 }
        return word(at: position)
    }

    /// The next uniform `Float` in [0, 1).
    public mutating func nextUniform() -> Float {
        defer { position &+= 1 }
        return uniform(at: position)
    }

    /// The next standard normal `Float`.
    public mutating func nextNormal() -> Float {
        defer { position &+= 1 }
        return normal(at: position)
    }
}
