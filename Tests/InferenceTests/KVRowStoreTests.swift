import Tensors
import Testing

@testable import Inference

/// The rows a `KVRowStore` reads back against the rows written, within each format's rounding.
@Suite struct KVRowStoreTests {
    /// Rows whose magnitudes rise and fall (so fp8 blocks are re-quantized), from a fixed LCG.
    static func rows(count: Int, width: Int) -> [[Float]] {
        var state: UInt64 = 12345
        return (0..<count).map { row in
            let magnitude = Float(1 << (row * 5 % 7)) * 0.01
            return (0..<width).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return (Float(state >> 40) / Float(1 << 24) * 2 - 1) * magnitude
            }
        }
    }

    @Test(arguments: KVCacheStorage.allCases)
    func readsBackWhatWasWrittenWithinTheFormatsRounding(storage: KVCacheStorage) {
        let (heads, d, count) = (3, 8, 40)
        let rows = Self.rows(count: count, width: heads * d)
        var store = KVRowStore(storage: storage, heads: heads, headDimension: d)
        store.allocate(slots: 48)
        for (slot, row) in rows.enumerated() { row.withUnsafeBufferPointer { store.write($0.baseAddress!, slot: slot) } }
        #expect(store.byteCount == KVRowStore.byteCount(storage: storage, slots: 48, heads: heads, headDimension: d))
        for head in 0..<heads {
            var read = [Float](repeating: .nan, count: count * d)
            read.withUnsafeMutableBufferPointer { store.read(head: head, slots: 0..<count, into: $0.baseAddress!) }
            for slot in 0..<count {
                // The absolute maximum of this head over the slot's 16-position block.
                let block = slot / 16 * 16..<min(slot / 16 * 16 + 16, count)
                let maximum = block.map { r in (0..<d).map { abs(rows[r][head * d + $0]) }.max()! }.max()!
                for i in 0..<d {
                    let (x, y) = (rows[slot][head * d + i], read[slot * d + i])
                    let bound: Float =
                        switch storage {
                        case .fp32: 0
                        case .bf16: abs(x) * 0x1p-8
                        // Two roundings at most (a re-quantization): each ≤ 2⁻⁴ relative for normal
                        // E4M3 values, ≤ 2⁻¹⁰ · maximum / 448 for subnormal ones.
                        case .fp8: abs(x) * 0.13 + 2 * maximum / 448 * 0x1p-10
                        }
                    #expect(abs(x - y) <= bound, "\(storage) head \(head) slot \(slot) element \(i): wrote \(x), read \(y)")
                }
            }
        }
    }
}
