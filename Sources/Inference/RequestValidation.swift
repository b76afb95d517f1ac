extension SamplingParameters {
    /// Checks every field's range.
    ///
    /// - Throws: `GenerationError.invalidRequest` naming the field as the OpenAI API spells it
    ///   (`temperature`, `top_p`, `top_k`, `min_p`, `repetition_penalty`).
    public func validate() throws {
        guard temperature.isFinite, temperature >= 0 else {
            throw GenerationError.invalidRequest(field: "temperature", message: "must be a finite number at least 0, got \(temperature)")
        }
        guard topP > 0, topP <= 1 else {
            throw GenerationError.invalidRequest(field: "top_p", message: "must be in (0, 1], got \(topP)")
        }
        guard topK >= 0 else {
            throw GenerationError.invalidRequest(field: "top_k", message: "must be at least 0 (0 turns it off), got \(topK)")
        }
        guard minP >= 0, minP <= 1 else {
            throw GenerationError.invalidRequest(field: "min_p", message: "must be in [0, 1], got \(minP)")
        }
        guard repetitionPenalty.isFinite, repetitionPenalty > 0 else {
            throw GenerationError.invalidRequest(
                field: "repetition_penalty", message: "must be a finite number greater than 0, got \(repetitionPenalty)")
        }
    }
}

extension GenerationRequest {
    /// The most alternatives a token's log-probability may carry (vLLM's default limit).
    public static let maximumLogprobs = 20

    /// Checks the request on its own (the engine also checks it against the model).
    ///
    /// - Throws: `GenerationError.invalidRequest` naming the field as the OpenAI API spells it
    ///   (`prompt`, `max_tokens`, `logprobs`, and the sampling fields); prompt log-probabilities
    ///   are asked for through `logprobs` (with `echo`), so they are reported under that name.
    public func validate() throws {
        guard !prompt.isEmpty else {
            throw GenerationError.invalidRequest(field: "prompt", message: "must hold at least one token")
        }
        guard maxTokens >= 0 else {
            throw GenerationError.invalidRequest(field: "max_tokens", message: "must be at least 0, got \(maxTokens)")
        }
        for count in [logprobs, promptLogprobs].compactMap(\.self) where !(0...Self.maximumLogprobs).contains(count) {
            throw GenerationError.invalidRequest(
                field: "logprobs", message: "must be between 0 and \(Self.maximumLogprobs), got \(count)")
        }
        try sampling.validate()
    }
}
