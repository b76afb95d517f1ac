import Inference

/// Text in, text out over a `GenerationService`, for callers other than the HTTP server
/// (`factory generate`): the prompt rendered (chat) and tokenized, the output detokenized, cut
/// at stop strings and split into reasoning and answer, as the server does it.
public struct TextGenerator: Sendable {
    /// One finished generation.
    public struct Output: Sendable, Equatable {
        /// The answer (for a completion: all the generated text).
        public var text: String
        /// The reasoning, for a chat prompt with reasoning on; `nil` otherwise.
        public var reasoning: String?
        /// OpenAI's finish reason: `stop`, `length` (or `abort`).
        public var finishReason: String
        public var promptTokens: Int
        public var completionTokens: Int

        public init(text: String, reasoning: String?, finishReason: String, promptTokens: Int, completionTokens: Int) {
            self.text = text
            self.reasoning = reasoning
            self.finishReason = finishReason
            self.promptTokens = promptTokens
            self.completionTokens = completionTokens
        }
    }

    public let model: ServedModel
    public let service: any GenerationService

    public init(model: ServedModel, service: any GenerationService) {
        self.model = model
        self.service = service
    }

    /// Generates from `prompt`: a plain completion, or with `chat` the user turn of a
    /// conversation in the model's chat format with reasoning on or off. `onText` receives the
    /// text as it becomes final: reasoning, then answer.
    ///
    /// - Throws: `APIError` for a prompt the model cannot take (too long, no chat format) or a
    ///   refusal of the service.
    public func generate(
        _ prompt: String, chat: Bool, reasoning: Bool, sampling: SamplingParameters, maxTokens: Int, stops: [String] = [],
        onText: (_ reasoning: String, _ content: String) -> Void = { _, _ in }
    ) async throws -> Output {
        var text = prompt
        var splitReasoning: Bool?
        if chat {
            guard let render = model.renderChat else {
                throw APIError.invalid("messages", "the model '\(model.name)' has no chat format")
            }
            text = render([ChatMessage(role: .user, content: prompt)], reasoning)
            splitReasoning = ServedModel.startsInReasoning(text)
        }
        let tokens = model.tokenizer.encode(text)
        guard !tokens.isEmpty else { throw APIError.invalid("prompt", "prompt must not be empty") }
        try PromptLength.check(tokens, maxTokens: maxTokens, model: model, field: "prompt")
        let request = GenerationRequest(prompt: tokens, sampling: sampling, maxTokens: maxTokens, stopTokens: model.stopTokens)
        let events = try ChoiceGeneration.submitAll([request], to: service)[0]
        var pipeline = TextPipeline(model: model, stops: stops, splitReasoning: splitReasoning)
        var output = Output(
            text: "", reasoning: splitReasoning == nil ? nil : "", finishReason: "length", promptTokens: tokens.count, completionTokens: 0)
        try await ChoiceGeneration.run(events, pipeline: &pipeline) { update in
            switch update {
            case .promptLogprobs: break
            case .token(_, _, let delta):
                output.completionTokens += 1
                output.add(delta)
                onText(delta.reasoning, delta.content)
            case .finished(let reason, let delta):
                output.add(delta)
                output.finishReason = reason
                onText(delta.reasoning, delta.content)
            }
        }
        if output.reasoning?.isEmpty == true { output.reasoning = nil }
        return output
    }
}

extension TextGenerator.Output {
    fileprivate mutating func add(_ delta: TextPipeline.Delta) {
        text += delta.content
        if !delta.reasoning.isEmpty { reasoning = (reasoning ?? "") + delta.reasoning }
    }
}
