import Tensors

/// The keys (or the values) of one layer of one sequence: rows of `heads × headDimension`
/// elements, one per slot, in the storage format of `KVCacheStorage`.
///
/// FP8 scaling: slots are grouped in blocks of `blockPositions`, written in slot order from a
/// block's first slot. The block being filled (the open block) is kept in fp32 and read back
/// exactly; when its last slot is written, each (block, head) takes the absolute maximum `m` of its
/// rows and every element `x` is stored once as the E4M3 of `x · 448 / m` (the block's largest
/// element maps to E4M3's largest finite value), read back as `e · m / 448`. Every element is thus
/// rounded once, with its block's final scale (no re-quantization when a later row raises the
/// maximum), and a sequence's most recent positions (up to a block) stay exact. The open block is
/// a fixed `blockPositions × heads × headDimension` fp32 buffer per store, so the bytes per cached
/// position tend to E4M3's one byte per element plus the block scales (`byteCount`).
///
/// Ring use (sliding layers): writing a block's first slot opens it without touching its old
/// quantized rows and scales, so the slots of the open block not yet rewritten still read back the
/// positions they held until the block is complete.
struct KVRowStore: Sendable {
    /// Slots per scale block (FP8).
    static let blockPositions = 16

    let storage: KVCacheStorage
    let heads: Int
    let headDimension: Int
    /// Slots allocated.
    private(set) var slots = 0
    private var floats: [Float] = []
    private var halves: [UInt16] = []
    private var bytes: [UInt8] = []
    /// FP8: the absolute maximum of each complete (block, head), `[blocks, heads]`.
    private var maxima: [Float] = []
    /// FP8: the rows of the open block in fp32, `[blockPositions, heads · headDimension]`.
    private var open: [Float] = []
    /// FP8: the block being filled and how many of its slots are written (`nil` when none is).
    private var openBlock: (index: Int, written: Int)?

    init(storage: KVCacheStorage, heads: Int, headDimension: Int) {
        self.storage = storage
        self.heads = heads
        self.headDimension = headDimension
    }

    /// Elements per slot.
    var width: Int { heads * headDimension }

    /// Bytes held.
    var byteCount: Int { floats.count * 4 + halves.count * 2 + bytes.count + maxima.count * 4 + open.count * 4 }

    /// Bytes a store of `slots` slots holds: for fp8, one byte an element, a 4-byte scale per
    /// (block, head), and the open block's fp32 buffer once anything is allocated.
    static func byteCount(storage: KVCacheStorage, slots: Int, heads: Int, headDimension: Int) -> Int {
        let elements = slots * heads * headDimension
        switch storage {
        case .fp32: return elements * 4
        case .bf16: return elements * 2
        case .fp8:
            let blocks = (slots + blockPositions - 1) / blockPositions
            let openBuffer = slots > 0 ? blockPositions * heads * headDimension * 4 : 0
            return elements + blocks * heads * 4 + openBuffer
        }
    }

    /// Grows the store to `count` slots (never shrinks).
    mutating func allocate(slots count: Int) {
        guard count > slots else { return }
        let added = (count - slots) * width
        switch storage {
        case .fp32: floats.append(contentsOf: repeatElement(0, count: added))
        case .bf16: halves.append(contentsOf: repeatElement(0, count: added))
        case .fp8:
            bytes.append(contentsOf: repeatElement(0, count: added))
            let blocks = (count + Self.blockPositions - 1) / Self.blockPositions
            maxima.append(contentsOf: repeatElement(0, count: blocks * heads - maxima.count))
            if open.isEmpty { open = [Float](repeating: 0, count: Self.blockPositions * width) }
        }
        slots = count
    }

    /// Stores `row` (`width` elements) in `slot`.
    mutating func write(_ row: UnsafePointer<Float>, slot: Int) {
        precondition(slot < slots, "KV slot \(slot) beyond the \(slots) allocated")
        let (base, width) = (slot * width, width)
        switch storage {
        case .fp32:
            floats.withUnsafeMutableBufferPointer { destination in (destination.baseAddress! + base).update(from: row, count: width) }
        case .bf16:
            halves.withUnsafeMutableBufferPointer { destination in
                for i in 0..<width { destination[base + i] = BFloat16(row[i]).bitPattern }
            }
        case .fp8:
            writeFloat8(row, slot: slot)
        }
    }

    /// Widens slots `range` of `head` into `destination` (`range.count × headDimension`, rows in slot order).
    func read(head: Int, slots range: Range<Int>, into destination: UnsafeMutablePointer<Float>) {
        let d = headDimension
        switch storage {
        case .fp32:
            floats.withUnsafeBufferPointer { source in
                for (r, slot) in range.enumerated() {
                    (destination + r * d).update(from: source.baseAddress! + slot * width + head * d, count: d)
                }
            }
        case .bf16:
            halves.withUnsafeBufferPointer { source in
                for (r, slot) in range.enumerated() {
                    let from = slot * width + head * d
                    for i in 0..<d { destination[r * d + i] = Float(bitPattern: UInt32(source[from + i]) << 16) }
                }
            }
        case .fp8:
            bytes.withUnsafeBufferPointer { source in
                open.withUnsafeBufferPointer { open in
                    for (r, slot) in range.enumerated() {
                        let (block, offset) = slot.quotientAndRemainder(dividingBy: Self.blockPositions)
                        if let openBlock, openBlock.index == block, offset < openBlock.written {
                            (destination + r * d).update(from: open.baseAddress! + offset * width + head * d, count: d)
                            continue
                        }
                        let scale = maxima[block * heads + head] / Float8E4M3.greatestFiniteMagnitude
                        let from = slot * width + head * d
                        for i in 0..<d { destination[r * d + i] = Float8E4M3(bitPattern: source[from + i]).floatValue * scale }
                    }
                }
            }
        }
    }

    /// Copies `row` into the open block; quantizes the block once its last slot is written.
    private mutating func writeFloat8(_ row: UnsafePointer<Float>, slot: Int) {
        let (block, offset) = slot.quotientAndRemainder(dividingBy: Self.blockPositions)
        let written = offset == 0 ? 0 : openBlock.flatMap { $0.index == block ? $0.written : nil }
        precondition(written == offset, "fp8 KV slot \(slot) written out of order (a block fills from its first slot)")
        let width = width
        open.withUnsafeMutableBufferPointer { open in (open.baseAddress! + offset * width).update(from: row, count: width) }
        guard offset + 1 == Self.blockPositions else {
            openBlock = (block, offset + 1)
            return
        }
        openBlock = nil
        let d = headDimension
        for head in 0..<heads {
            var maximum: Float = 0
            for r in 0..<Self.blockPositions {
                for i in 0..<d { maximum = max(maximum, abs(open[r * width + head * d + i])) }
            }
            maxima[block * heads + head] = maximum
            let factor = maximum > 0 ? Float8E4M3.greatestFiniteMagnitude / maximum : 0
            for r in 0..<Self.blockPositions {
                let (from, to) = (r * width + head * d, (block * Self.blockPositions + r) * width + head * d)
                for i in 0..<d { bytes[to + i] = Float8E4M3(open[from + i] * factor).bitPattern }
            }
        }
    }
}
