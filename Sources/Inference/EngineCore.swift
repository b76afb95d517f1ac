import Dispatch
import Synchronization

/// The part of `GenerationEngine` that submitting threads, stream terminations and the
/// scheduling loop share: the decoder, the limits, and the state behind a mutex.
final class EngineCore<Decoder: SequenceDecoder>: Sendable {
    let decoder: Decoder
    let limits: SchedulerLimits
    let state = Mutex(EngineState())
    /// Signalled when the idle loop may have work: a submission or the engine going away.
    private let wakeup = DispatchSemaphore(value: 0)

    init(decoder: Decoder, limits: SchedulerLimits) {
        self.decoder = decoder
        self.limits = limits
    }

    /// Checks and queues `request`; see `GenerationService.submit`.
    func submit(_ request: GenerationRequest) throws -> AsyncThrowingStream<GenerationEvent, any Error> {
        try request.validate()
        let reservedBytes = try reservation(for: request)
        let (stream, continuation) = AsyncThrowingStream<GenerationEvent, any Error>.makeStream()
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        continuation.onTermination = { [weak self] termination in
            if case .cancelled = termination { self?.cancel(id) }
        }
        let pending = PendingRequest(
            id: id, request: request, continuation: continuation, submitted: .now, reservedBytes: reservedBytes)
        try state.withLock { state throws(GenerationError) in
            guard !state.draining else { throw .shuttingDown }
            guard state.queue.count < limits.maxQueue else { throw .queueFull(limit: limits.maxQueue) }
            state.queue.append(pending)
            state.statistics.queued = state.queue.count
        }
        wakeup.signal()
        return stream
    }

    /// The cache bytes `request` reaches at its last token, after checking it against the model
    /// and the limits: the cache holds the prompt and every generated token but the last.
    func reservation(for request: GenerationRequest) throws -> Int {
        let prompt = request.prompt
        let maximumLength = decoder.maximumSequenceLength
        guard prompt.count <= maximumLength else {
            throw GenerationError.invalidRequest(
                field: "prompt",
                message: "has \(prompt.count) tokens, more than the model's maximum sequence length of \(maximumLength)")
        }
        if let position = prompt.firstIndex(where: { Int($0) >= decoder.vocabularySize }) {
            throw GenerationError.invalidRequest(
                field: "prompt",
                message: "token \(prompt[position]) at position \(position) is outside the vocabulary (size \(decoder.vocabularySize))")
        }
        let generated = min(request.maxTokens, maximumLength - prompt.count)
        let tokens = prompt.count + max(generated - 1, 0)
        let bytes = decoder.cacheBytes(forTokens: tokens)
        guard bytes <= limits.maxCacheBytes else {
            let field = decoder.cacheBytes(forTokens: prompt.count) > limits.maxCacheBytes ? "prompt" : "max_tokens"
            throw GenerationError.invalidRequest(
                field: field,
                message: "needs \(bytes) bytes of cache for \(tokens) tokens, more than the engine's limit of \(limits.maxCacheBytes)")
        }
        return bytes
    }

    /// A consumer went away: a queued request leaves the queue now; a running one is dropped by
    /// the loop before its next step.
    func cancel(_ id: Int) {
        let waiters = state.withLock { state in
            if let index = state.queue.firstIndex(where: { $0.id == id }) {
                state.queue.remove(at: index)
                state.statistics.queued = state.queue.count
                state.statistics.requestsFinished += 1
            } else if state.admitted.contains(id) {
                state.cancelled.insert(id)
            }
            return state.takeDrainWaitersIfIdle()
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Stops admission and waits until every queued and running request has finished.
    func drain() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state in
                state.draining = true
                if state.isIdle { return true }
                state.drainWaiters.append(waiter)
                return false
            }
            if idle { waiter.resume() }
        }
    }

    /// The engine went away: the loop finishes what it holds, then exits.
    func stop() {
        state.withLock { $0.stopping = true }
        wakeup.signal()
    }

    /// Blocks the loop's thread until `submit` or `stop` signals.
    func waitForWork() {
        wakeup.wait()
    }
}
