import HeapModule

/// Applies BPE merges to the symbols of one pre-token: repeatedly joins the adjacent pair with the
/// lowest merge rank, the leftmost one among equals, until no adjacent pair has a merge (as
/// tiktoken and Hugging Face `tokenizers` do).
///
/// Short pieces use a flat scan over pair ranks (fast for the usual handful of symbols); pieces of
/// more than ``heapThreshold`` symbols use a linked list and a min-heap of candidate merges, so
/// that long runs (CJK text without spaces, long digit-free blobs) stay O(n log n). Both give the
/// same result. Holds scratch buffers that are reused across calls; one merger per thread.
struct BPEMerger {
    /// Pieces with more symbols than this take the heap path.
    let heapThreshold: Int
    private var ranks: [UInt64] = []
    private var next: [Int32] = []
    private var previous: [Int32] = []
    private var heap = Heap<UInt64>()

    /// A merger that switches to the heap path above `heapThreshold` symbols.
    init(heapThreshold: Int = 256) {
        self.heapThreshold = heapThreshold
    }

    /// Merges `symbols` in place; on return it holds the final token ids.
    mutating func merge(_ symbols: inout [UInt32], table: BPEMergeTable) {
        guard symbols.count > 1 else { return }
        if symbols.count > heapThreshold {
            mergeWithHeap(&symbols, table: table)
        } else {
            mergeByScan(&symbols, table: table)
        }
    }

    private mutating func mergeByScan(_ symbols: inout [UInt32], table: BPEMergeTable) {
        ranks.removeAll(keepingCapacity: true)
        for index in 0..<(symbols.count - 1) { ranks.append(table.lookup(symbols[index], symbols[index + 1])) }
        while true {
            var best = BPEMergeTable.none
            var bestIndex = -1
            for index in ranks.indices where ranks[index] < best {
                best = ranks[index]
                bestIndex = index
            }
            guard bestIndex >= 0 else { return }
            symbols[bestIndex] = UInt32(truncatingIfNeeded: best)
            symbols.remove(at: bestIndex + 1)
            ranks.remove(at: bestIndex)
            if bestIndex > 0 {
                ranks[bestIndex - 1] = table.lookup(symbols[bestIndex - 1], symbols[bestIndex])
            }
            if bestIndex < ranks.count {
                ranks[bestIndex] = table.lookup(symbols[bestIndex], symbols[bestIndex + 1])
            }
        }
    }

    /// Heap entries pack `rank << 32 | position`: the heap's minimum is the lowest rank, then the
    /// leftmost position (positions are original symbol indices, which keep their left-to-right
    /// order). Entries made stale by earlier merges are recognised and skipped when popped.
    private mutating func mergeWithHeap(_ symbols: inout [UInt32], table: BPEMergeTable) {
        let count = symbols.count
        next = (0..<count).map { Int32($0 + 1) }
        previous = (0..<count).map { Int32($0 - 1) }
        heap = Heap()
        for index in 0..<(count - 1) {
            let entry = table.lookup(symbols[index], symbols[index + 1])
            if entry != BPEMergeTable.none { pushCandidate(rank: entry >> 32, position: index) }
        }
        while let top = heap.popMin() {
            let position = Int(top & 0xFFFF_FFFF)
            let rank = top >> 32
            let right = Int(next[position])
            // Removed symbols have previous == -2; a stale entry no longer matches the pair's rank.
            guard previous[position] != -2, right < count else { continue }
            let entry = table.lookup(symbols[position], symbols[right])
            guard entry != BPEMergeTable.none, entry >> 32 == rank else { continue }
            symbols[position] = UInt32(truncatingIfNeeded: entry)
            let afterRight = Int(next[right])
            next[position] = Int32(afterRight)
            if afterRight < count { previous[afterRight] = Int32(position) }
            previous[right] = -2
            let left = Int(previous[position])
            if left >= 0 {
                let leftEntry = table.lookup(symbols[left], symbols[position])
                if leftEntry != BPEMergeTable.none { pushCandidate(rank: leftEntry >> 32, position: left) }
            }
            if afterRight < count {
                let rightEntry = table.lookup(symbols[position], symbols[afterRight])
                if rightEntry != BPEMergeTable.none { pushCandidate(rank: rightEntry >> 32, position: position) }
            }
        }
        var write = 0
        var index = 0
        while index < count {
            symbols[write] = symbols[index]
            write += 1
            index = Int(next[index])
        }
        symbols.removeLast(count - write)
    }

    private mutating func pushCandidate(rank: UInt64, position: Int) {
        heap.insert(rank << 32 | UInt64(position))
    }
}
