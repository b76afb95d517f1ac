/// A 64-bit hash of a string and a seed that is the same on every machine and run (unlike
/// Swift's `Hasher`): FNV-1a over the UTF-8 bytes, mixed with the seed by SplitMix64.
enum StableHash {
    /// The hash of `string` under `seed`.
    static func of(_ string: String, seed: UInt64) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in string.utf8 { value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return MinHasher.mix(value ^ MinHasher.mix(seed &+ 0x9E37_79B9_7F4A_7C15))
    }
}
