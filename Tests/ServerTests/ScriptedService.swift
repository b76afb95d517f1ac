import Inference
import Synchronization

/// A deterministic `GenerationService` for HTTP tests: each request "generates" the tokens its
/// script gives, with log-probabilities from `ScriptedService.logprob`, and records what happened
/// (submissions, how each stream ended, drains) for the tests to observe.
final class ScriptedService: GenerationService {
    /// How a request's stream ended.
    enum Ending: Equatable, Sendable {
        case finished
        case cancelled
    }

    struct State {
        var submitted = [GenerationRequest]()
        var active = 0
        var draining = false
        var drained = false
        var endings = [Ending]()
        var released = false
    }

    /// The tokens a request produces, stop tokens included (generation ends at the first one).
    let script: @Sendable (GenerationRequest) -> [UInt32]
    /// Most requests in flight before `submit` answers `queueFull`.
    let limit: Int
    /// Without `release()`, tokens wait (for tests that act while a request runs).
    let gated: Bool
    /// Emits tokens without end (until cancelled), for disconnect tests.
    let endless: Bool
    let state = Mutex(State())
    /// Each submission's index, as it happens.
    let submissions: AsyncStream<Int>
    private let submissionsContinuation: AsyncStream<Int>.Continuation
    /// Each ending, as it happens.
    let endings: AsyncStream<Ending>
    private let endingsContinuation: AsyncStream<Ending>.Continuation

    init(limit: Int = 64, gated: Bool = false, endless: Bool = false, script: @escaping @Sendable (GenerationRequest) -> [UInt32]) {
        self.script = script
        self.limit = limit
        self.gated = gated
        self.endless = endless
        (submissions, submissionsContinuation) = AsyncStream.makeStream()
        (endings, endingsContinuation) = AsyncStream.makeStream()
    }

    /// A made-up but deterministic log-probability of `token`.
    static func logprob(_ token: UInt32) -> Float { -Float(token % 7) * 0.5 - 0.25 }

    /// `n` alternatives for a position whose token is `token`: the next ids, best first.
    static func alternatives(_ token: UInt32, _ n: Int) -> [TokenLogprob.Alternative] {
        (0..<n).map { TokenLogprob.Alternative(token: (token + UInt32($0) + 1) % 256, logprob: -0.1 * Float($0 + 1)) }
    }

    static func entry(_ token: UInt32, _ n: Int) -> TokenLogprob {
        TokenLogprob(token: token, logprob: logprob(token), top: alternatives(token, n))
    }

    func release() { state.withLock { $0.released = true } }

    func submit(_ request: GenerationRequest) throws -> AsyncThrowingStream<GenerationEvent, any Error> {
        let index = try state.withLock { state -> Int in
            if state.draining { throw GenerationError.shuttingDown }
            if state.active >= limit { throw GenerationError.queueFull(limit: limit) }
            state.active += 1
            state.submitted.append(request)
            return state.submitted.count - 1
        }
        submissionsContinuation.yield(index)
        let tokens = script(request)
        let (stream, continuation) = AsyncThrowingStream<GenerationEvent, any Error>.makeStream()
        let task = Task { [self] in
            if let n = request.promptLogprobs {
                continuation.yield(.promptLogprobs(request.prompt.enumerated().map { $0.offset == 0 ? nil : Self.entry($0.element, n) }))
            }
            while gated && !state.withLock({ $0.released }) {
                try? await Task.sleep(for: .milliseconds(2))
                if Task.isCancelled { return }
            }
            var produced = 0
            while endless || produced < min(tokens.count, request.maxTokens) {
                if Task.isCancelled { return }
                let token = tokens[produced % tokens.count]
                produced += 1
                continuation.yield(.token(token, request.logprobs.map { Self.entry(token, $0) }))
                if !endless && request.stopTokens.contains(token) {
                    continuation.yield(.finished(.stop))
                    continuation.finish()
                    return
                }
                if endless || gated { try? await Task.sleep(for: .milliseconds(1)) }
            }
            continuation.yield(.finished(.length))
            continuation.finish()
        }
        continuation.onTermination = { [self] termination in
            task.cancel()
            let ending: Ending = if case .cancelled = termination { .cancelled } else { .finished }
            state.withLock {
                $0.active -= 1
                $0.endings.append(ending)
            }
            endingsContinuation.yield(ending)
        }
        return stream
    }

    var statistics: EngineStatistics {
        var statistics = EngineStatistics()
        state.withLock {
            statistics.running = $0.active
            statistics.queued = 2
            statistics.promptTokens = $0.submitted.map(\.prompt.count).reduce(0, +)
        }
        statistics.decodeSteps = 4
        statistics.decodedSequences = 10
        statistics.decodeSeconds = 0.5
        statistics.timeToFirstTokenSum = 0.25
        statistics.timeToFirstTokenCount = 2
        return statistics
    }

    func drain() async {
        state.withLock { $0.draining = true }
        while state.withLock({ $0.active > 0 }) { try? await Task.sleep(for: .milliseconds(2)) }
        state.withLock { $0.drained = true }
    }
}
