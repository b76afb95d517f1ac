/// A fast, non-cryptographic 64-bit hash of tensor bytes, for comparing replicas' weights.
///
/// The structure, round and finalizer are xxHash64's (not byte-compatible with the reference
/// implementation): the 8-byte words (two consecutive `Float` bit patterns) of each 32-byte stripe
/// feed four independent lanes, which run in parallel in the CPU's pipelines (about four times
/// one lane's speed), then the lanes are merged; the words after the last whole stripe (the last
/// one padded with zero bits) are mixed in order into the merged value, then the element count,
/// then an avalanche. Every step is a bijection of the state given the word and of the word given
/// the state, so a single flipped bit changes the result (with certainty below one stripe, with
/// probability 1 − 2⁻⁶⁴ above). Order-fixed, so it does not depend on thread counts.
public enum WeightHashKernel {
    static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    /// The hash of `x`'s elements (not its shape), starting from `seed`.
    public static func hash(_ x: Tensor, seed: UInt64 = 0) -> UInt64 {
        x.withUnsafeBufferPointer { xs in
            var accumulator = seed &+ prime5
            var index = 0
            if xs.count >= 8 {
                var lanes = (seed &+ prime1 &+ prime2, seed &+ prime2, seed, seed &- prime1)
                while index + 8 <= xs.count {
                    lanes.0 = round(lanes.0, word(xs, index))
                    lanes.1 = round(lanes.1, word(xs, index + 2))
                    lanes.2 = round(lanes.2, word(xs, index + 4))
                    lanes.3 = round(lanes.3, word(xs, index + 6))
                    index += 8
                }
                accumulator = rotate(lanes.0, 1) &+ rotate(lanes.1, 7) &+ rotate(lanes.2, 12) &+ rotate(lanes.3, 18)
                for lane in [lanes.0, lanes.1, lanes.2, lanes.3] { accumulator = (accumulator ^ round(0, lane)) &* prime1 &+ prime4 }
            }
            while index + 1 < xs.count {
                accumulator = round(accumulator, word(xs, index))
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
        rotate(accumulator &+ word &* prime2, 31) &* prime1
    }

    @inline(__always)
    static func rotate(_ value: UInt64, _ bits: UInt64) -> UInt64 { value << bits | value >> (64 - bits) }

    /// Elements `index` and `index + 1` as one little-endian word.
    @inline(__always)
    static func word(_ xs: UnsafeBufferPointer<Float>, _ index: Int) -> UInt64 {
        UInt64(xs[index].bitPattern) | UInt64(xs[index + 1].bitPattern) << 32
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
