/// Maps `0..<count` in parallel, chunk by chunk, keeping the order: the chunk boundaries depend
/// only on `count` and `grain` (``ThreadPool/chunks(count:grain:)``), so the result is the same
/// on any number of threads as long as `body` is a pure function of its range.
public enum ParallelChunks {
    /// The concatenation, in chunk order, of `body` applied to each chunk of `0..<count`.
    public static func map<T: Sendable>(
        count: Int, grain: Int, pool: ThreadPool, _ body: @Sendable (Range<Int>) -> [T]
    ) -> [T] {
        let ranges = ThreadPool.chunks(count: count, grain: grain)
        var results = [[T]](repeating: [], count: ranges.count)
        results.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots
            pool.parallelFor(count: ranges.count, grain: 1) { chunks in
                for chunk in chunks { slots[chunk] = body(ranges[chunk]) }
            }
        }
        return results.flatMap { $0 }
    }
}
