import Tensors

/// The scheduling loop of `GenerationEngine`, run on the engine's own thread: between decode
/// steps it drops cancelled requests and admits queued ones (first come, first served, while the
/// batch has room and the reserved cache bytes stay within the limit); it prefills each admitted
/// request and emits its first token, then advances every running request by one batched
/// `decode` step.
///
/// The running requests and their caches belong to this loop alone; what others read or change
/// (the queue, cancellations, statistics) is in `EngineCore.state`. Statistics are updated before
/// the events they account for are emitted, so a consumer that sees `finished` sees its request
/// counted.
struct EngineLoop<Decoder: SequenceDecoder> {
    /// A request in the decode batch.
    private struct Running {
        let pending: PendingRequest
        var sampler: Sampler
        /// The last generated token: the input of the next decode step.
        var lastToken: UInt32
        var generated: Int
        /// `maxTokens`, capped by the room the maximum sequence length leaves.
        let maxGenerated: Int
    }

    /// What one request emits after a prefill or a decode step.
    private struct Emission {
        let continuation: AsyncThrowingStream<GenerationEvent, any Error>.Continuation
        var events: [GenerationEvent]
    }

    let core: EngineCore<Decoder>
    private var running: [Running] = []
    /// `caches[i]` belongs to `running[i]`; kept apart so `decode` mutates them in place.
    private var caches: [Decoder.Cache] = []

    init(core: EngineCore<Decoder>) {
        self.core = core
    }

    /// Runs until the engine goes away and has nothing left to do.
    mutating func run() {
        while let admitted = nextAdmissions() {
            for pending in admitted { start(pending) }
            if !running.isEmpty { step() }
        }
    }

    /// Drops cancelled requests and admits queued ones; waits while there is nothing to do.
    /// Returns `nil` when the engine has gone away and is idle.
    private mutating func nextAdmissions() -> [PendingRequest]? {
        while true {
            let cancelled = core.state.withLock { state in
                defer { state.cancelled = [] }
                return state.cancelled
            }
            var dropped = [PendingRequest]()
            for index in running.indices.reversed() where cancelled.contains(running[index].pending.id) {
                dropped.append(running.remove(at: index).pending)
                caches.remove(at: index)
            }
            let limits = core.limits
            var reserved = running.reduce(0) { $0 + $1.pending.reservedBytes }
            let batch = running.count
            let ((admitted, exit), waiters) = commit(finishing: dropped.map(\.id)) { state in
                var admitted = [PendingRequest]()
                while let next = state.queue.first, batch + admitted.count < limits.maxBatch,
                    reserved + next.reservedBytes <= limits.maxCacheBytes
                {
                    admitted.append(state.queue.removeFirst())
                    state.admitted.insert(next.id)
                    reserved += next.reservedBytes
                }
                return (admitted, state.stopping && state.isIdle)
            }
            for pending in dropped { pending.continuation.finish() }
            for waiter in waiters { waiter.resume() }
            if !admitted.isEmpty || !running.isEmpty { return admitted }
            if exit { return nil }
            core.waitForWork()
        }
    }

    /// Prefills `pending`'s prompt, emits its prompt log-probabilities and first token, and puts
    /// it in the batch unless it is already finished.
    private mutating func start(_ pending: PendingRequest) {
        let request = pending.request
        let decoder = core.decoder
        let maxGenerated = min(request.maxTokens, decoder.maximumSequenceLength - request.prompt.count)
        guard maxGenerated > 0 || request.promptLogprobs != nil else {
            let waiters = commit(finishing: [pending.id]) { _ in }.waiters
            emit([Emission(continuation: pending.continuation, events: [.finished(.length)])])
            for waiter in waiters { waiter.resume() }
            return
        }
        let began = ContinuousClock.now
        let prefilled: (cache: Decoder.Cache, logits: Tensor)
        do {
            prefilled = try decoder.prefill(request.prompt, allPositions: request.promptLogprobs != nil)
        } catch {
            fail([pending], error)
            return
        }
        let prefillSeconds = Self.seconds(ContinuousClock.now - began)
        var sampler = Sampler(parameters: request.sampling, context: request.prompt)
        var events = [GenerationEvent]()
        var firstToken: UInt32?
        let vocabularySize = decoder.vocabularySize
        prefilled.logits.withUnsafeBufferPointer { logits in
            let rows = logits.count / vocabularySize
            func row(_ index: Int) -> UnsafeBufferPointer<Float> {
                UnsafeBufferPointer(rebasing: logits[(index * vocabularySize)..<((index + 1) * vocabularySize)])
            }
            if let top = request.promptLogprobs {
                precondition(rows == request.prompt.count, "prefill returned \(rows) logits rows for \(request.prompt.count) tokens")
                let scored = request.prompt.indices.dropFirst().map { LogSoftmax(row($0 - 1)).tokenLogprob(request.prompt[$0], top: top) }
                events.append(.promptLogprobs([nil] + scored))
            }
            if maxGenerated > 0 {
                let token = sampler.next(logits: row(rows - 1))
                events.append(.token(token, request.logprobs.map { LogSoftmax(row(rows - 1)).tokenLogprob(token, top: $0) }))
                firstToken = token
            }
        }
        let reason: FinishReason? =
            if let firstToken { Self.finishReason(token: firstToken, generated: 1, maxGenerated: maxGenerated, request: request) } else {
                .length
            }
        if let reason {
            events.append(.finished(reason))
        } else if let firstToken {
            running.append(Running(pending: pending, sampler: sampler, lastToken: firstToken, generated: 1, maxGenerated: maxGenerated))
            caches.append(prefilled.cache)
        }
        let finished = reason == nil ? [] : [pending.id]
        let firstTokenSeconds = Self.seconds(ContinuousClock.now - pending.submitted)
        let waiters = commit(finishing: finished) { state in
            state.statistics.promptTokens += request.prompt.count
            state.statistics.prefillSeconds += prefillSeconds
            if firstToken != nil {
                state.statistics.generatedTokens += 1
                state.statistics.timeToFirstTokenSum += firstTokenSeconds
                state.statistics.timeToFirstTokenCount += 1
            }
        }.waiters
        emit([Emission(continuation: pending.continuation, events: events)])
        for waiter in waiters { waiter.resume() }
    }

    /// One batched decode step over every running request.
    private mutating func step() {
        let began = ContinuousClock.now
        let logits: Tensor
        do {
            logits = try core.decoder.decode(&caches, tokens: running.map(\.lastToken))
        } catch {
            let failed = running.map(\.pending)
            running = []
            caches = []
            fail(failed, error)
            return
        }
        let decodeSeconds = Self.seconds(ContinuousClock.now - began)
        let vocabularySize = core.decoder.vocabularySize
        precondition(logits.count == running.count * vocabularySize, "decode returned \(logits.shape) for \(running.count) sequences")
        var emissions = [Emission]()
        var finished = [Int]()
        logits.withUnsafeBufferPointer { values in
            for index in running.indices {
                let row = UnsafeBufferPointer(rebasing: values[(index * vocabularySize)..<((index + 1) * vocabularySize)])
                let request = running[index].pending.request
                let token = running[index].sampler.next(logits: row)
                running[index].lastToken = token
                running[index].generated += 1
                var events: [GenerationEvent] = [.token(token, request.logprobs.map { LogSoftmax(row).tokenLogprob(token, top: $0) })]
                if let reason = Self.finishReason(
                    token: token, generated: running[index].generated, maxGenerated: running[index].maxGenerated, request: request)
                {
                    events.append(.finished(reason))
                    finished.append(running[index].pending.id)
                }
                emissions.append(Emission(continuation: running[index].pending.continuation, events: events))
            }
        }
        let stepped = running.count
        for index in running.indices.reversed() where finished.contains(running[index].pending.id) {
            running.remove(at: index)
            caches.remove(at: index)
        }
        let waiters = commit(finishing: finished) { state in
            state.statistics.decodeSteps += 1
            state.statistics.decodedSequences += stepped
            state.statistics.generatedTokens += stepped
            state.statistics.decodeSeconds += decodeSeconds
        }.waiters
        emit(emissions)
        for waiter in waiters { waiter.resume() }
    }

    /// Why a request ends after its `generated`-th token `token`, if it does: a stop token first
    /// (as vLLM checks), then the token budget.
    private static func finishReason(token: UInt32, generated: Int, maxGenerated: Int, request: GenerationRequest) -> FinishReason? {
        if request.stopTokens.contains(token) { return .stop }
        return generated >= maxGenerated ? .length : nil
    }

    /// Ends `requests`' streams with `error` (a failed prefill or decode step).
    private func fail(_ requests: [PendingRequest], _ error: any Error) {
        let waiters = commit(finishing: requests.map(\.id)) { _ in }.waiters
        for request in requests { request.continuation.finish(throwing: error) }
        for waiter in waiters { waiter.resume() }
    }

    /// Yields `emissions`, ending the streams whose last event is `finished`.
    private func emit(_ emissions: [Emission]) {
        for emission in emissions {
            for event in emission.events { emission.continuation.yield(event) }
            if case .finished = emission.events.last { emission.continuation.finish() }
        }
    }

    /// Under the state's lock: applies `change`, forgets the `finishing` requests, counts them
    /// and refreshes the gauges from the loop's batch. Returns `change`'s result and the `drain`
    /// calls to resume once the events are out.
    private func commit<Result>(
        finishing: [Int], _ change: (inout EngineState) -> Result
    ) -> (
        Result, waiters: [CheckedContinuation<Void, Never>]
    ) {
        let cachedTokens = caches.reduce(0) { $0 + $1.length }
        let cacheBytes = caches.reduce(0) { $0 + $1.byteCount }
        return core.state.withLock { state in
            let result = change(&state)
            state.admitted.subtract(finishing)
            state.statistics.requestsFinished += finishing.count
            state.statistics.queued = state.queue.count
            state.statistics.running = state.admitted.count
            state.statistics.cachedTokens = cachedTokens
            state.statistics.cacheBytes = cacheBytes
            return (result, state.takeDrainWaitersIfIdle())
        }
    }

    /// A duration in seconds.
    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
