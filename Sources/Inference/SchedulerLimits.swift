import FactoryCore

/// What `GenerationEngine` may hold at once.
public struct SchedulerLimits: Sendable, Equatable {
    /// Most requests in the decode batch.
    public var maxBatch: Int
    /// Most requests waiting for a slot; past it `submit` throws `GenerationError.queueFull`.
    public var maxQueue: Int
    /// Most cache bytes the running requests may reserve; a request reserves what its cache
    /// reaches at its last token (prompt plus `maxTokens`, capped by the maximum sequence length).
    public var maxCacheBytes: Int

    public init(maxBatch: Int = 16, maxQueue: Int = 64, maxCacheBytes: Int) {
        self.maxBatch = maxBatch
        self.maxQueue = maxQueue
        self.maxCacheBytes = maxCacheBytes
    }

    /// - Throws: `FactoryError.invalidArgument` naming a limit below 1.
    func validate() throws {
        for (name, value) in [("maxBatch", maxBatch), ("maxQueue", maxQueue), ("maxCacheBytes", maxCacheBytes)] where value < 1 {
            throw FactoryError.invalidArgument(name: name, message: "must be at least 1, got \(value)")
        }
    }
}
