/// The keys and values of one attention layer of one sequence.
///
/// A global-attention layer keeps every position (slot = position) and grows with the sequence,
/// in steps of `KVRowStore.blockPositions` slots. A sliding-window layer of window `w` keeps a
/// ring (slot = position mod capacity) that stops growing at its capacity: `w` slots for fp32 and
/// bf16; for fp8, `w` rounded up to a whole block, so that the ring holds whole scale blocks. A
/// block reopened in the ring keeps its old quantized rows readable until it is complete
/// (`KVRowStore`), and by then none of its old positions is visible any more (capacity ≥ `w`).
struct LayerKVCache: Sendable {
    /// The sliding window, `nil` for global attention.
    let window: Int?
    /// Ring slots, `nil` for global attention.
    let ringCapacity: Int?
    private(set) var keys: KVRowStore
    private(set) var values: KVRowStore

    init(storage: KVCacheStorage, window: Int?, keyValueHeads: Int, headDimension: Int) {
        self.window = window
        ringCapacity = window.map { Self.ringCapacity(window: $0, storage: storage) }
        keys = KVRowStore(storage: storage, heads: keyValueHeads, headDimension: headDimension)
        values = keys
    }

    /// The ring slots of a sliding layer.
    static func ringCapacity(window: Int, storage: KVCacheStorage) -> Int {
        let block = KVRowStore.blockPositions
        return storage == .fp8 ? (window + block - 1) / block * block : window
    }

    /// Slots allocated for a sequence of `length` positions.
    static func slots(forLength length: Int, ringCapacity: Int?) -> Int {
        let block = KVRowStore.blockPositions
        let grown = (length + block - 1) / block * block
        return ringCapacity.map { min(grown, $0) } ?? grown
    }

    var byteCount: Int { keys.byteCount + values.byteCount }

    /// Stores the key and value rows of `position` (positions arrive in order, from 0).
    mutating func append(key: UnsafePointer<Float>, value: UnsafePointer<Float>, position: Int) {
        let slots = Self.slots(forLength: position + 1, ringCapacity: ringCapacity)
        keys.allocate(slots: slots)
        values.allocate(slots: slots)
        let slot = ringCapacity.map { position % $0 } ?? position
        keys.write(key, slot: slot)
        values.write(value, slot: slot)
    }

    /// The slot ranges, in position order, that a query at `position` sees.
    func visibleSlots(position: Int) -> [Range<Int>] {
        let first = window.map { max(0, position - $0 + 1) } ?? 0
        guard let capacity = ringCapacity else { return [first..<(position + 1)] }
        let (start, end) = (first % capacity, position % capacity)
        return start <= end ? [start..<(end + 1)] : [start..<capacity, 0..<(end + 1)]
    }
}
