import Foundation

/// Continuous batching over a `SequenceDecoder`: requests join the decode batch and leave it
/// between steps. A waiting queue (first come, first served, at most `maxQueue`) feeds a batch of
/// at most `maxBatch` requests, admitted while the cache bytes they reserve (prompt plus
/// `maxTokens`, capped by the maximum sequence length) stay within `maxCacheBytes`.
///
/// The work runs on the engine's own thread, never on Swift concurrency's cooperative pool. A
/// request ends at one of its stop tokens, after `maxTokens` tokens, at the model's maximum
/// sequence length (both `.length`), or when its consumer goes away (its slot is freed before the
/// next step). Each request samples from its own seeded stream, and the decoder's batch
/// invariance makes its logits independent of the batch, so a seeded request gives the same
/// tokens alone or with others.
public final class GenerationEngine<Decoder: SequenceDecoder>: GenerationService {
    private let core: EngineCore<Decoder>

    /// Starts the engine's scheduling thread.
    ///
    /// - Throws: `FactoryError.invalidArgument` naming a limit below 1.
    public init(decoder: Decoder, limits: SchedulerLimits) throws {
        try limits.validate()
        let core = EngineCore(decoder: decoder, limits: limits)
        self.core = core
        let thread = Thread {
            var loop = EngineLoop(core: core)
            loop.run()
        }
        thread.name = "generation-engine"
        thread.start()
    }

    /// The thread finishes the requests it holds, then exits.
    deinit {
        core.stop()
    }

    /// The decoder the engine runs.
    public var decoder: Decoder { core.decoder }

    /// The engine's limits.
    public var limits: SchedulerLimits { core.limits }

    /// Queues `request`; see `GenerationService.submit`. Besides the request's own checks
    /// (`GenerationRequest.validate()`), it is refused with `GenerationError.invalidRequest` when
    /// the prompt is longer than the maximum sequence length or holds a token outside the
    /// vocabulary (field `prompt`), or when its cache could never fit in `maxCacheBytes`
    /// (`prompt`, or `max_tokens` when the prompt alone fits).
    public func submit(_ request: GenerationRequest) throws -> AsyncThrowingStream<GenerationEvent, any Error> {
        try core.submit(request)
    }

    public var statistics: EngineStatistics {
        core.state.withLock { $0.statistics }
    }

    public func drain() async {
        await core.drain()
    }
}
