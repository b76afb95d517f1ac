/// A submitted request with the stream it reports to.
struct PendingRequest: Sendable {
    let id: Int
    let request: GenerationRequest
    let continuation: AsyncThrowingStream<GenerationEvent, any Error>.Continuation
    let submitted: ContinuousClock.Instant
    /// Cache bytes the request may reach; admission counts them against the limit.
    let reservedBytes: Int
}

/// What the submitting threads and the engine's loop share, behind `EngineCore.state`.
struct EngineState {
    /// Requests waiting for a slot, oldest first.
    var queue: [PendingRequest] = []
    /// Requests the loop holds (admitted and not finished).
    var admitted: Set<Int> = []
    /// Admitted requests whose consumer went away, for the loop to drop before its next step.
    var cancelled: Set<Int> = []
    var nextID = 0
    /// Set by `drain`: no more submissions.
    var draining = false
    /// Set when the engine goes away: the loop exits once it is idle.
    var stopping = false
    /// `drain` calls waiting for the engine to become idle.
    var drainWaiters: [CheckedContinuation<Void, Never>] = []
    var statistics = EngineStatistics()

    /// Nothing queued and nothing running.
    var isIdle: Bool { queue.isEmpty && admitted.isEmpty }

    /// The waiting `drain` calls to resume, when draining has finished.
    mutating func takeDrainWaitersIfIdle() -> [CheckedContinuation<Void, Never>] {
        guard draining && isIdle else { return [] }
        defer { drainWaiters = [] }
        return drainWaiters
    }
}
