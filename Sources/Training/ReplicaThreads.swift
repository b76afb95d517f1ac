import Foundation
import Synchronization

/// Runs replica 0 on the calling thread and replicas `1..<count` each on a thread of its own (the
/// in-process stand-in for one process per replica): dedicated threads, because replicas block
/// while they wait for each other in collectives.
enum ReplicaThreads {
    /// `root()` here and `replica(r)` for `r` in `1..<count` concurrently; returns the root's
    /// result and the others' in replica order. When some fail, rethrows the lowest replica's
    /// error that is not a `CollectiveAborted` (the cause, not a replica that gave up waiting).
    static func run<Root, Value: Sendable>(
        count: Int, root: () throws -> Root, replica: @escaping @Sendable (Int) throws -> Value
    ) throws -> (root: Root, replicas: [Value]) {
        let slots = Mutex([Result<Value, any Error>?](repeating: nil, count: count))
        let finished = DispatchSemaphore(value: 0)
        for index in 1..<max(count, 1) {
            let thread = Thread {
                let result = Result<Value, any Error>(catching: { try replica(index) })
                slots.withLock { $0[index] = result }
                finished.signal()
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
        let rootResult = Result<Root, any Error>(catching: root)
        for _ in 1..<max(count, 1) { finished.wait() }
        let others = slots.withLock { $0 }.dropFirst().map { $0! }
        var errors = [any Error]()
        if case .failure(let error) = rootResult { errors.append(error) }
        for case .failure(let error) in others { errors.append(error) }
        if let cause = errors.first(where: { !($0 is CollectiveAborted) }) ?? errors.first { throw cause }
        return (try rootResult.get(), try others.map { try $0.get() })
    }
}
