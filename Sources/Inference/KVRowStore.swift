import Tensors

/// The keys (or the values) of one layer of one sequence: rows of `heads × headDimension`
/// elements, one per slot, in the storage format of `KVCacheStorage`.
///
/// FP8 scaling: slots are grouped in blocks of `blockPositions`; each (block, head) keeps the
/// absolute maximum `m` of the rows written into it, and an element `x` is stored as the E4M3 of
/// `x · 448 / m` (so the block's largest element maps to E4M3's largest finite value) and read
/// back as `e · m / 448`. Writes fill a block in slot order from its first slot. When a new row
/// raises the block's maximum, the rows already in the block are re-quantized to the new scale
/// (widened with the old scale, rounded with the new one: a second rounding, bounded by half an
/// E4M3 step of the new scale); writing a block's first slot starts the block afresh.
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
    /// FP8: the absolute maximum of each (block, head), `[blocks, heads]`.
    private var maxima: [Float] = []

    init(storage: KVCacheStorage, heads: Int, headDimension: Int) {
        self.storage = storage
        self.heads = heads
        self.headDimension = headDimension
    }

    /// Elements per slot.
    var width: Int { heads * headDimension }

    /// Bytes held.
    var byteCount: Int { floats.count * 4 + halves.count * 2 + bytes.count + maxima.count * 4 }

    /// Bytes a store of `slots` slots holds.
    static func byteCount(storage: KVCacheStorage, slots: Int, heads: Int, headDimension: Int) -> Int {
        let elements = slots * heads * headDimension
        switch storage {
        case .fp32: return elements * 4
        case .bf16: return elements * 2
        case .fp8:
            let blocks = (slots + blockPositions - 1) / blockPositions
            return elements + blocks * heads * 4
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
            for head in 0..<heads { writeFloat8(row + head * headDimension, slot: slot, head: head) }
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
                for (r, slot) in range.enumerated() {
                    let scale = maxima[(slot / Self.blockPositions) * heads + head] / Float8E4M3.greatestFiniteMagnitude
                    let from = slot * width + head * d
                    for i in 0..<d { destination[r * d + i] = Float8E4M3(bitPattern: source[from + i]).floatValue * scale }
                }
            }
        }
    }

    private mutating func writeFloat8(_ row: UnsafePointer<Float>, slot: Int, head: Int) {
        let d = headDimension
        let block = slot / Self.blockPositions
        let blockStart = block * Self.blockPositions
        let maximumIndex = block * heads + head
        var rowMaximum: Float = 0
        for i in 0..<d { rowMaximum = max(rowMaximum, abs(row[i])) }
        if slot == blockStart {
            maxima[maximumIndex] = rowMaximum
        } else if rowMaximum > maxima[maximumIndex] {
            let (old, new) = (maxima[maximumIndex], rowMaximum)
            maxima[maximumIndex] = new
            for earlier in blockStart..<slot {
                let from = earlier * width + head * d
                for i in 0..<d {
                    let value = Float8E4M3(bitPattern: bytes[from + i]).floatValue * (old / Float8E4M3.greatestFiniteMagnitude)
                    bytes[from + i] = Self.quantize(value, maximum: new)
                }
            }
        }
        let maximum = maxima[maximumIndex]
        let base = slot * width + head * d
        for i in 0..<d { bytes[base + i] = Self.quantize(row[i], maximum: maximum) }
    }

    /// The E4M3 bits of `value` on the scale of a block whose absolute maximum is `maximum`.
    private static func quantize(_ value: Float, maximum: Float) -> UInt8 {
        guard maximum > 0 else { return 0 }
        return Float8E4M3(value * (Float8E4M3.greatestFiniteMagnitude / maximum)).bitPattern
    }
}
