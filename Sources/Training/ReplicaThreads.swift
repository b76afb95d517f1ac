import Foundation
import Synchronization

/// Runs one closure per replica on its own thread and gathers the results in replica order: the
/// in-process stand-in for one process per replica.
enum ReplicaThreads {
    /// `body(r)` for every `r` in `0..<count`, concurrently; rethrows the lowest replica's error.
    static func run<Value: Sendable>(count: Int, _ body: @Sendable (Int) throws -> Value) throws -> [Value] {
        let slots = Mutex([Result<Value, any Error>?](repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: count) { replica in
            let result = Result<Value, any Error>(catching: { try body(replica) })
            slots.withLock { $0[replica] = result }
        }
        return try slots.withLock { $0 }.map { try $0!.get() }
    }
}
