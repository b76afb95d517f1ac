/// One BPE merge rule: the adjacent token pair it joins.
public struct BPEMerge: Hashable, Sendable {
    /// The left token id.
    public var left: UInt32
    /// The right token id.
    public var right: UInt32

    /// A merge of `left` followed by `right`.
    public init(left: UInt32, right: UInt32) {
        self.left = left
        self.right = right
    }

    /// The pair packed into one 64-bit key, left in the high half.
    @inline(__always) var key: UInt64 { UInt64(left) << 32 | UInt64(right) }
}

/// A flat open-addressing hash map from a token pair to its merge: the rank (position in the merge
/// list) and the id of the merged token, packed as `rank << 32 | id` so that comparing two
/// entries compares ranks.
struct BPEMergeTable: Sendable {
    /// The packed entry for "no merge"; larger than every real entry.
    static let none = UInt64.max

    private var keys: [UInt64]
    private var entries: [UInt64]
    private let mask: Int

    /// A table for `merges` (rank = index), where `merged[rank]` is the id the merge produces.
    /// When a pair appears twice, the lower rank wins.
    init(merges: [BPEMerge], merged: [UInt32]) {
        var capacity = 16
        while capacity < merges.count * 2 { capacity *= 2 }
        keys = [UInt64](repeating: Self.none, count: capacity)
        entries = [UInt64](repeating: Self.none, count: capacity)
        mask = capacity - 1
        for (rank, merge) in merges.enumerated() {
            var slot = Self.slot(of: merge.key, mask: mask)
            while keys[slot] != Self.none && keys[slot] != merge.key { slot = (slot + 1) & mask }
            if keys[slot] == Self.none {
                keys[slot] = merge.key
                entries[slot] = UInt64(rank) << 32 | UInt64(merged[rank])
            }
        }
    }

    @inline(__always)
    private static func slot(of key: UInt64, mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// The packed `rank << 32 | id` entry for `left` followed by `right`, or ``none``.
    @inline(__always)
    func lookup(_ left: UInt32, _ right: UInt32) -> UInt64 {
        let key = UInt64(left) << 32 | UInt64(right)
        return keys.withUnsafeBufferPointer { keys in
            var slot = Self.slot(of: key, mask: mask)
            while true {
                let stored = keys[slot]
                if stored == key { return entries.withUnsafeBufferPointer { $0[slot] } }
                if stored == Self.none { return Self.none }
                slot = (slot + 1) & mask
            }
        }
    }
}
