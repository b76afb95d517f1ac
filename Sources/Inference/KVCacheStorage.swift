/// How a key/value cache stores its rows.
///
/// - `fp32`: exact.
/// - `bf16`: bfloat16, rounded to nearest even (2 bytes an element).
/// - `fp8`: OCP E4M3 (`Float8E4M3`, 1 byte an element) with one fp32 scale per layer, key/value
///   head and block of `KVRowStore.blockPositions` positions; each element is rounded once, when
///   its block is complete, and the block being filled stays in fp32 (see `KVRowStore`).
public enum KVCacheStorage: String, Sendable, CaseIterable {
    case fp32, bf16, fp8
}
