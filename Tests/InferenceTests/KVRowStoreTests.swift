import Tensors
import Testing

@testable import Inference

/// The rows a `KVRowStore` reads back against the rows written: exact (fp32), within bf16's
/// rounding, and for fp8 bit for bit a naive reference that rounds every element of a complete
/// block once with the block's final scale and keeps the open block exact.
@Suite struct KVRowStoreTests {
    /// Rows whose magnitudes rise and fall (so an fp8 block's maximum moves as it fills), from a fixed LCG.
    static func rows(count: Int, width: Int, seed: UInt64 = 12345) -> [[Float]] {
        var state = seed
        return (0..<count).map { row in
            let magnitude = Float(1 << (row * 5 % 7)) * 0.01
            return (0..<width).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return (Float(state >> 40) / Float(1 << 24) * 2 - 1) * magnitude
            }
        }
    }

    /// What the fp8 store must read back for `head` of a complete block of `rows`: each element
    /// rounded once to E4M3 on the scale of the block's absolute maximum for that head.
    static func quantizedOnce(_ rows: ArraySlice<[Float]>, head: Int, headDimension d: Int) -> [[Float]] {
        let maximum = rows.map { row in (0..<d).map { abs(row[head * d + $0]) }.max()! }.max()!
        return rows.map { row in
            (0..<d).map { i in Float8E4M3(row[head * d + i] * (448 / maximum)).floatValue * (maximum / 448) }
        }
    }

    static func read(_ store: KVRowStore, head: Int, slots: Range<Int>) -> [[Float]] {
        let d = store.headDimension
        var flat = [Float](repeating: .nan, count: slots.count * d)
        flat.withUnsafeMutableBufferPointer { store.read(head: head, slots: slots, into: $0.baseAddress!) }
        return (0..<slots.count).map { Array(flat[$0 * d..<($0 + 1) * d]) }
    }

    static func write(_ rows: ArraySlice<[Float]>, to store: inout KVRowStore, from slot: Int) {
        for (offset, row) in rows.enumerated() {
            row.withUnsafeBufferPointer { store.write($0.baseAddress!, slot: slot + offset) }
        }
    }

    @Test(arguments: KVCacheStorage.allCases)
    func readsBackWhatWasWrittenWithinTheFormatsRounding(storage: KVCacheStorage) {
        let (heads, d, count) = (3, 8, 40)
        let rows = Self.rows(count: count, width: heads * d)
        var store = KVRowStore(storage: storage, heads: heads, headDimension: d)
        store.allocate(slots: 48)
        Self.write(rows[...], to: &store, from: 0)
        #expect(store.byteCount == KVRowStore.byteCount(storage: storage, slots: 48, heads: heads, headDimension: d))
        for head in 0..<heads {
            let read = Self.read(store, head: head, slots: 0..<count)
            // fp8: blocks 0..<16 and 16..<32 are complete; 32..<40 is the open block, kept exact.
            let expected =
                storage == .fp8
                ? Self.quantizedOnce(rows[0..<16], head: head, headDimension: d)
                    + Self.quantizedOnce(rows[16..<32], head: head, headDimension: d)
                    + rows[32..<40].map { Array($0[head * d..<(head + 1) * d]) }
                : rows.map { Array($0[head * d..<(head + 1) * d]) }
            for slot in 0..<count {
                for i in 0..<d {
                    let (x, y) = (expected[slot][i], read[slot][i])
                    let bound: Float = storage == .bf16 ? abs(x) * 0x1p-8 : 0
                    #expect(abs(x - y) <= bound, "\(storage) head \(head) slot \(slot) element \(i): expected \(x), read \(y)")
                }
            }
        }
    }

    /// A ring reopens a block: until the block is complete, its rewritten slots read the new rows
    /// exactly and the others still read their old rows, on the old scale; once complete, the
    /// whole block holds the new rows rounded once on the new scale.
    @Test func reopeningAnFp8BlockKeepsItsOldRowsUntilItIsComplete() {
        let (heads, d) = (2, 8)
        let old = Self.rows(count: 32, width: heads * d)
        let new = Self.rows(count: 16, width: heads * d, seed: 999).map { $0.map { $0 * 3 } }
        var store = KVRowStore(storage: .fp8, heads: heads, headDimension: d)
        store.allocate(slots: 32)
        Self.write(old[...], to: &store, from: 0)
        Self.write(new[0..<5], to: &store, from: 0)
        #expect(store.byteCount == KVRowStore.byteCount(storage: .fp8, slots: 32, heads: heads, headDimension: d))
        for head in 0..<heads {
            let oldBlock = Self.quantizedOnce(old[0..<16], head: head, headDimension: d)
            let read = Self.read(store, head: head, slots: 0..<16)
            #expect(Array(read[0..<5]) == new[0..<5].map { Array($0[head * d..<(head + 1) * d]) }, "head \(head)")
            #expect(Array(read[5..<16]) == Array(oldBlock[5..<16]), "head \(head)")
            #expect(Self.read(store, head: head, slots: 16..<32) == Self.quantizedOnce(old[16..<32], head: head, headDimension: d))
        }
        Self.write(new[5..<16], to: &store, from: 5)
        for head in 0..<heads {
            #expect(Self.read(store, head: head, slots: 0..<16) == Self.quantizedOnce(new[...], head: head, headDimension: d), "head \(head)")
        }
    }
}
