/// A fast, non-cryptographic 64-bit hash of tensor bytes, for comparing replicas' weights.
///
/// The round and finalizer are xxHash64's (one lane, not byte-compatible with the reference
/// implementation): every 8-byte word (two consecutive `Float` bit patterns, the last one padded
/// with zero bits) is mixed in order, then the element count, then an avalanche. A single flipped
/// bit anywhere changes the result. Serial and order-fixed, so it does not depend on thread counts.
public enum WeightHashKernel {
    static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    /// The hash of `x`'s elements (not its shape), starting from `seed`.
    public static func hash(_ x: Tensor, seed: UInt64 = 0) -> UInt64 {
        x.withUnsafeBufferPointer { xs in
            var accumulator = seed &+ prime5
            var index = 0
            while index + 1 < xs.count {
                accumulator = round(accumulator, UInt64(xs[index].bitPattern) | UInt64(xs[index + 1].bitPattern) << 32)
                index += 2
            }
            if index < xs.count { accumulator = round(accumulator, UInt64(xs[index].bitPattern)) }
            return avalanche(accumulator ^ UInt64(xs.count))
        }
    }

    /// Folds a list of hashes, in order, into one.
    public static func combine(_ hashes: [UInt64], seed: UInt64 = 0) -> UInt64 {
        avalanche(hashes.reduce(seed &+ prime5) { round($0, $1) } ^ UInt64(hashes.count))
    }

    static func round(_ accumulator: UInt64, _ word: UInt64) -> UInt64 {
        let mixed = accumulator &+ word &* prime2
        return (mixed << 31 | mixed >> 33) &* prime1
    }

    static func avalanche(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h &*= prime2
        h ^= h >> 29
        h &*= prime3
        h ^= h >> 32
        return h
    }
}
