/// An open-addressing hash map from byte strings to 64-bit values, with keys stored back to back
/// in one arena so that lookups allocate nothing. Entries are numbered in insertion order, so
/// walking them by number never depends on hash values.
struct BPEByteKeyTable: Sendable {
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    private var keyStarts: [Int] = [0]
    private var keyBytes: [UInt8] = []
    /// The value of each entry, by entry number.
    private(set) var values: [UInt64] = []

    /// An empty table sized for about `capacity` entries.
    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        slots = [Int32](repeating: -1, count: size)
    }

    /// The number of entries.
    var count: Int { values.count }

    /// The entry number of `key`, if present.
    @inline(__always)
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        let hash = Self.hash(key)
        let mask = slots.count - 1
        return slots.withUnsafeBufferPointer { slots in
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let entry = Int(slots[slot])
                if entry < 0 { return nil }
                if hashes[entry] == hash && keyEquals(entry, key) { return entry }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Adds `key` with `value` and returns its entry number; `key` must not be present.
    @discardableResult
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>, value: UInt64) -> Int {
        if (values.count + 1) * 2 > slots.count { grow() }
        let hash = Self.hash(key)
        let entry = values.count
        hashes.append(hash)
        keyBytes.append(contentsOf: key)
        keyStarts.append(keyBytes.count)
        values.append(value)
        place(entry: entry, hash: hash)
        return entry
    }

    /// Adds `amount` to the value of `key`, inserting it with `amount` when absent.
    @inline(__always)
    mutating func add(_ key: UnsafeBufferPointer<UInt8>, amount: UInt64) {
        if let entry = find(key) {
            values[entry] &+= amount
        } else {
            insert(key, value: amount)
        }
    }

    /// Removes every entry, keeping the allocated storage.
    mutating func removeAll() {
        for index in slots.indices { slots[index] = -1 }
        hashes.removeAll(keepingCapacity: true)
        keyStarts.removeAll(keepingCapacity: true)
        keyStarts.append(0)
        keyBytes.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
    }

    /// The key bytes of entry `entry`.
    func key(_ entry: Int) -> ArraySlice<UInt8> {
        keyBytes[keyStarts[entry]..<keyStarts[entry + 1]]
    }

    @inline(__always)
    private func keyEquals(_ entry: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = keyStarts[entry]
        guard keyStarts[entry + 1] - start == key.count else { return false }
        return keyBytes.withUnsafeBufferPointer { stored in
            for index in 0..<key.count where stored[start + index] != key[index] { return false }
            return true
        }
    }

    private mutating func place(entry: Int, hash: UInt64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(entry)
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        for entry in hashes.indices { place(entry: entry, hash: hashes[entry]) }
    }

    /// A fast, fixed (unseeded) 64-bit hash of a byte string: 8-byte words mixed FxHash-style,
    /// then a final avalanche so that the low bits used for slots depend on every byte.
    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var state: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(key.count)
        let raw = UnsafeRawBufferPointer(key)
        var index = 0
        while index + 8 <= key.count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            state = ((state << 5 | state >> 59) ^ word) &* 0x517C_C1B7_2722_0A95
            index += 8
        }
        if index < key.count {
            var word: UInt64 = 0
            var shift: UInt64 = 0
            while index < key.count {
                word |= UInt64(key[index]) << shift
                shift += 8
                index += 1
            }
            state = ((state << 5 | state >> 59) ^ word) &* 0x517C_C1B7_2722_0A95
        }
        state ^= state >> 33
        state &*= 0xFF51_AFD7_ED55_8CCD
        state ^= state >> 33
        return state
    }
}
