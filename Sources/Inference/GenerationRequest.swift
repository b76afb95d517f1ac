/// How the next token is drawn from the logits. The filters apply in the order vLLM and
/// `transformers` apply them: repetition penalty, temperature, top-k, top-p, min-p.
public struct SamplingParameters: Sendable, Equatable {
    /// 0 means greedy (argmax); otherwise logits are divided by it.
    public var temperature: Float
    /// Keep only the `topK` most likely tokens; 0 turns the filter off.
    public var topK: Int
    /// Keep the smallest set of tokens whose probability reaches `topP`; 1 turns it off.
    public var topP: Float
    /// Drop tokens less likely than `minP` × the most likely one; 0 turns it off.
    public var minP: Float
    /// CTRL-style penalty on tokens already in the prompt or output; 1 turns it off.
    public var repetitionPenalty: Float
    /// Seeds the request's own random stream, so the request reproduces bit for bit whatever
    /// else is in the batch; `nil` draws a seed.
    public var seed: UInt64?

    public init(
        temperature: Float = 1, topK: Int = 0, topP: Float = 1, minP: Float = 0, repetitionPenalty: Float = 1, seed: UInt64? = nil
    ) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repetitionPenalty = repetitionPenalty
        self.seed = seed
    }

    /// Greedy decoding.
    public static let greedy = SamplingParameters(temperature: 0)
}

/// One generation request, in tokens (text, chat templates and stop strings live a layer up).
public struct GenerationRequest: Sendable, Equatable {
    /// The prompt's token ids (at least one).
    public var prompt: [UInt32]
    public var sampling: SamplingParameters
    /// Most tokens to generate; 0 only scores the prompt.
    public var maxTokens: Int
    /// Tokens that end the generation (the end-of-text token, typically); the stop token is
    /// reported, with finish reason `.stop`.
    public var stopTokens: Set<UInt32>
    /// With a value `n`, each generated token carries its log-probability and the `n` most
    /// likely alternatives.
    public var logprobs: Int?
    /// With a value `n`, the prompt's tokens get their log-probabilities (and `n` alternatives)
    /// before generation starts: `echo` with `logprobs` in the completions API.
    public var promptLogprobs: Int?

    public init(
        prompt: [UInt32], sampling: SamplingParameters = SamplingParameters(), maxTokens: Int = 16, stopTokens: Set<UInt32> = [],
        logprobs: Int? = nil, promptLogprobs: Int? = nil
    ) {
        self.prompt = prompt
        self.sampling = sampling
        self.maxTokens = maxTokens
        self.stopTokens = stopTokens
        self.logprobs = logprobs
        self.promptLogprobs = promptLogprobs
    }
}

/// A token's log-probability under the model's raw distribution (the log-softmax of the logits,
/// before repetition penalty, temperature or any filter, as vLLM reports them by default and as
/// lm-evaluation-harness needs for scoring) and the most likely alternatives at its position,
/// best first, ties by lower token id.
public struct TokenLogprob: Sendable, Equatable {
    public var token: UInt32
    public var logprob: Float
    public var top: [Alternative]

    /// One alternative token and its log-probability.
    public struct Alternative: Sendable, Equatable {
        public var token: UInt32
        public var logprob: Float

        public init(token: UInt32, logprob: Float) {
            self.token = token
            self.logprob = logprob
        }
    }

    public init(token: UInt32, logprob: Float, top: [Alternative]) {
        self.token = token
        self.logprob = logprob
        self.top = top
    }
}

/// Why a generation ended.
public enum FinishReason: String, Sendable, Equatable {
    /// A stop token (or, a layer up, a stop string).
    case stop
    /// `maxTokens` or the model's maximum sequence length.
    case length
    /// The consumer went away or the request was cancelled.
    case cancelled
}

/// What a request's stream yields, in order: prompt log-probabilities (when asked), tokens, then
/// one `finished`.
public enum GenerationEvent: Sendable, Equatable {
    /// Entry `i` scores prompt token `i`; the first entry is `nil` (nothing predicts it).
    case promptLogprobs([TokenLogprob?])
    /// A generated token, with its log-probability when the request asked for them.
    case token(UInt32, TokenLogprob?)
    case finished(FinishReason)
}
