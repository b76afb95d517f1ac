import Dispatch
import Synchronization

/// Runs data-parallel loops on a fixed number of threads with deterministic partitioning.
///
/// Work is cut into chunks whose boundaries depend only on the problem size and the grain, never
/// on the thread count; threads claim chunks in any order, and reductions combine the per-chunk
/// results in chunk order. So a kernel run on 1, 2 or 7 threads gives bitwise-identical results.
public struct ThreadPool: Sendable {
    /// How many threads run chunks at once.
    public let threadCount: Int

    /// A pool of `threadCount` threads (at least one).
    public init(threadCount: Int) {
        self.threadCount = max(threadCount, 1)
    }

    /// One thread: for work nested inside another parallel loop.
    public static let serial = ThreadPool(threadCount: 1)

    /// A pool as wide as the machine.
    public static var machineWide: ThreadPool { ThreadPool(threadCount: HostInfo.activeCores) }

    /// The chunk ranges `0..<count` is cut into.
    public static func chunks(count: Int, grain: Int) -> [Range<Int>] {
        precondition(grain > 0, "grain must be positive")
        return stride(from: 0, to: count, by: grain).map { $0..<min($0 + grain, count) }
    }

    /// Calls `body` once for every chunk of `0..<count`, in parallel. `body` must only write
    /// memory that belongs to its chunk.
    public func parallelFor(count: Int, grain: Int, _ body: @Sendable (Range<Int>) -> Void) {
        let ranges = Self.chunks(count: count, grain: grain)
        let width = min(threadCount, ranges.count)
        if width <= 1 {
            ranges.forEach(body)
            return
        }
        let nextChunk = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: width) { _ in
            while true {
                let index = nextChunk.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < ranges.count else { return }
                body(ranges[index])
            }
        }
    }

    /// Maps every chunk of `0..<count` to a partial result in parallel, then folds the partials
    /// in chunk order, so the result does not depend on the thread count.
    public func parallelReduce<Partial: Sendable>(
        count: Int, grain: Int, initial: Partial,
        chunk: @Sendable (Range<Int>) -> Partial,
        combine: (Partial, Partial) -> Partial
    ) -> Partial {
        let ranges = Self.chunks(count: count, grain: grain)
        let partials = UnsafeMutableBufferPointer<Partial?>.allocate(capacity: ranges.count)
        partials.initialize(repeating: nil)
        defer {
            partials.deinitialize()
            partials.deallocate()
        }
        let slots = SendableBuffer(partials)
        parallelFor(count: ranges.count, grain: 1) { chunkIndices in
            for index in chunkIndices { slots.buffer[index] = chunk(ranges[index]) }
        }
        return partials.reduce(initial) { combine($0, $1!) }
    }
}
