import Testing

@testable import FactoryCore

@Suite struct ThreadPoolTests {
    /// A float sum whose value depends on the order of additions, so any thread-count dependence shows.
    static func sum(_ values: [Float], threads: Int) -> Float {
        values.withUnsafeBufferPointer { buffer in
            let shared = SendableBuffer(UnsafeMutableBufferPointer(mutating: buffer))
            return ThreadPool(threadCount: threads).parallelReduce(
                count: values.count, grain: 1000, initial: Float(0),
                chunk: { range in range.reduce(Float(0)) { $0 + shared.buffer[$1] } },
                combine: +)
        }
    }

    @Test func reductionIsIdenticalFor1And2And7Threads() {
        let stream = RandomStream(seed: 5)
        let values = (0..<100_003).map { stream.normal(at: UInt64($0)) * 1000 }
        let results = [1, 2, 7].map { Self.sum(values, threads: $0) }
        #expect(results[0] == results[1])
        #expect(results[0] == results[2])
        // And the chunked order really is a different order than a plain left fold: the test
        // would not notice thread dependence if every order gave the same float.
        #expect(results[0] != values.reduce(0, +) || values.isEmpty)
    }

    @Test func parallelForCoversEveryIndexOnceForAnyThreadCount() {
        for threads in [1, 2, 7] {
            var output = [Float](repeating: 0, count: 10_007)
            output.withUnsafeMutableBufferPointer { buffer in
                let shared = SendableBuffer(buffer)
                ThreadPool(threadCount: threads).parallelFor(count: 10_007, grain: 64) { range in
                    for index in range { shared.buffer[index] += Float(index) * 0.5 + 1 }
                }
            }
            #expect(output == (0..<10_007).map { Float($0) * 0.5 + 1 })
        }
    }

    @Test func chunksDependOnlyOnCountAndGrain() {
        #expect(ThreadPool.chunks(count: 10, grain: 4) == [0..<4, 4..<8, 8..<10])
        #expect(ThreadPool.chunks(count: 0, grain: 4).isEmpty)
    }
}
