/// Stable 64-bit hashing: the same on every machine and run (unlike Swift's `Hasher`). The one
/// FNV-1a and the one SplitMix64 finalizer of the package; dedup signatures, hashed features and
/// seeded orders are built from these, so changing either changes every stored result.
public enum StableHash {
    /// The FNV-1a 64-bit offset basis: the hash of no bytes.
    @inlinable public static var fnvOffsetBasis: UInt64 { 0xcbf2_9ce4_8422_2325 }
    /// The FNV-1a 64-bit prime.
    @inlinable public static var fnvPrime: UInt64 { 0x0000_0100_0000_01b3 }

    /// One FNV-1a step: `hash` extended by `byte`.
    @inlinable @inline(__always)
    public static func fnv1a(_ hash: UInt64, _ byte: UInt8) -> UInt64 {
        (hash ^ UInt64(byte)) &* fnvPrime
    }

    /// FNV-1a over `bytes`.
    @inlinable
    public static func fnv1a<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt64 {
        var hash = fnvOffsetBasis
        for byte in bytes { hash = fnv1a(hash, byte) }
        return hash
    }

    /// The SplitMix64 finalizer.
    @inlinable @inline(__always)
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// The hash of `string` under `seed`: FNV-1a over the UTF-8 bytes, mixed with the seed by
    /// SplitMix64.
    public static func of(_ string: String, seed: UInt64) -> UInt64 {
        mix(fnv1a(string.utf8) ^ mix(seed &+ 0x9E37_79B9_7F4A_7C15))
    }
}
