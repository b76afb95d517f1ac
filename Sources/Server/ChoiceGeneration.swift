import Inference

/// One choice's generation: the service's events through a `TextPipeline`.
enum ChoiceGeneration {
    /// What the consumer is told, in order.
    enum Update {
        case promptLogprobs([TokenLogprob?])
        case token(UInt32, TokenLogprob?, TextPipeline.Delta)
        /// The end, with OpenAI's finish reason and the text held back until now.
        case finished(reason: String, TextPipeline.Delta)
    }

    /// Consumes `events` until the service finishes or a stop string is met; leaving early ends
    /// the consumption of the stream, which cancels the request and frees its slot (so does the
    /// cancellation of the calling task, when a client goes away).
    static func run(
        _ events: AsyncThrowingStream<GenerationEvent, any Error>, pipeline: inout TextPipeline,
        onUpdate: (Update) async throws -> Void
    ) async throws {
        for try await event in events {
            switch event {
            case .promptLogprobs(let entries):
                try await onUpdate(.promptLogprobs(entries))
            case .token(let token, let logprob):
                let delta = pipeline.append(token)
                try await onUpdate(.token(token, logprob, delta))
                if delta.stopped {
                    try await onUpdate(.finished(reason: "stop", pipeline.finish()))
                    return
                }
            case .finished(let reason):
                try await onUpdate(.finished(reason: finishReason(reason), pipeline.finish()))
                return
            }
        }
        try Task.checkCancellation()
        throw APIError(
            status: .internalServerError, message: "the generation ended without finishing", type: "server_error", param: nil)
    }

    /// OpenAI's name for `reason` (vLLM's `abort` for a cancelled request).
    static func finishReason(_ reason: FinishReason) -> String {
        switch reason {
        case .stop: "stop"
        case .length: "length"
        case .cancelled: "abort"
        }
    }

    /// Submits every request before any runs, so a refusal (a full queue) answers the whole call
    /// before anything is streamed, and so the requests can share decode steps.
    static func submitAll(
        _ requests: [GenerationRequest], to service: any GenerationService
    ) throws -> [AsyncThrowingStream<
        GenerationEvent, any Error
    >] {
        do {
            return try requests.map { try service.submit($0) }
        } catch let error as GenerationError {
            throw APIError.refused(error)
        }
    }
}
