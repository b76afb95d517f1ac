import Dispatch
import Synchronization

/// Parallel encoding of many texts.
extension Tokenizer {
    /// Texts per work item: fixed, so the split of work never depends on the thread count.
    static let batchGrain = 16

    /// The tokens of every text, in order, encoded on up to `threads` threads (one encoder and
    /// cache per thread). The result is identical for every thread count: each text is encoded
    /// on its own, and results are stored by index.
    public func encodeBatch(_ texts: [String], threads: Int, matchingAddedTokens: Bool = true) -> [[UInt32]] {
        let chunkCount = (texts.count + Self.batchGrain - 1) / Self.batchGrain
        let width = max(1, min(threads, chunkCount))
        let results = BatchResults(count: texts.count)
        let nextChunk = Atomic<Int>(0)
        let work: @Sendable (Int) -> Void = { _ in
            var encoder = TokenizerEncoder(tokenizer: self)
            while true {
                let chunk = nextChunk.wrappingAdd(1, ordering: .relaxed).oldValue
                guard chunk < chunkCount else { return }
                let range = (chunk * Self.batchGrain)..<min((chunk + 1) * Self.batchGrain, texts.count)
                for index in range {
                    results.store(encoder.encode(texts[index], matchingAddedTokens: matchingAddedTokens), at: index)
                }
            }
        }
        if width == 1 {
            work(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: width, execute: work)
        }
        return results.take()
    }
}

/// Result slots that worker threads fill, each slot written by exactly one thread.
private final class BatchResults: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<[UInt32]>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: [])
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    func store(_ tokens: [UInt32], at index: Int) {
        slots[index] = tokens
    }

    /// The results; call after every worker has finished.
    func take() -> [[UInt32]] {
        Array(slots)
    }
}
