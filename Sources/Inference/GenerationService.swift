/// Something that runs generation requests concurrently: `GenerationEngine` (continuous batching
/// over a `SequenceDecoder`). The server and the `generate` command talk to this.
public protocol GenerationService: Sendable {
    /// Queues `request` and returns its events. Ending the consumption of the stream (a client
    /// that disconnects) cancels the request and frees its slot.
    ///
    /// A request whose prompt plus `maxTokens` passes the maximum sequence length is accepted and
    /// ends there with `.length` (as vLLM does when `max_tokens` is left out).
    ///
    /// - Throws: `GenerationError.queueFull` when the waiting queue is at its limit,
    ///   `GenerationError.invalidRequest` for a request the model cannot run (empty prompt, a
    ///   prompt longer than the maximum sequence length, a token id out of range, a field out of
    ///   range: see `GenerationRequest.validate()`), `GenerationError.shuttingDown` once `drain`
    ///   has been called.
    func submit(_ request: GenerationRequest) throws -> AsyncThrowingStream<GenerationEvent, any Error>

    /// A snapshot of the queue, the batch and the throughput counters.
    var statistics: EngineStatistics { get }

    /// Stops admitting requests (new ones throw `GenerationError.shuttingDown`), lets the
    /// running and queued ones finish, then returns.
    func drain() async
}

/// Why a request was refused.
public enum GenerationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The waiting queue holds `limit` requests already.
    case queueFull(limit: Int)
    /// `field` of the request is unusable.
    case invalidRequest(field: String, message: String)
    /// The service is draining.
    case shuttingDown

    public var description: String {
        switch self {
        case .queueFull(let limit): "the queue is full (\(limit) requests waiting); retry later"
        case .invalidRequest(let field, let message): "\(field): \(message)"
        case .shuttingDown: "the server is shutting down"
        }
    }
}

/// Counters for `/metrics` (Prometheus) and progress output. Totals count since start.
public struct EngineStatistics: Sendable, Equatable {
    /// Requests waiting for a slot.
    public var queued: Int = 0
    /// Requests in the decode batch now.
    public var running: Int = 0
    /// Positions held in the running requests' caches.
    public var cachedTokens: Int = 0
    /// Bytes those caches hold.
    public var cacheBytes: Int = 0
    public var requestsFinished: Int = 0
    public var promptTokens: Int = 0
    public var generatedTokens: Int = 0
    /// Decode steps run, and the sequences they advanced (mean batch = sequences / steps).
    public var decodeSteps: Int = 0
    public var decodedSequences: Int = 0
    /// Seconds spent in prefill and in decode steps.
    public var prefillSeconds: Double = 0
    public var decodeSeconds: Double = 0
    /// Sum and count of the times from submission to first token, in seconds.
    public var timeToFirstTokenSum: Double = 0
    public var timeToFirstTokenCount: Int = 0

    public init() {}
}
