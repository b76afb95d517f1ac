import Inference
import Testing

@Suite struct GenerationRequestTests {
    static func invalid(_ field: String, _ message: String) -> GenerationError {
        .invalidRequest(field: field, message: message)
    }

    @Test func defaultsAndGreedyAreValid() throws {
        try GenerationRequest(prompt: [1]).validate()
        try GenerationRequest(prompt: [1], sampling: .greedy, maxTokens: 0, logprobs: 0, promptLogprobs: 20).validate()
        try SamplingParameters(temperature: 2, topK: 5, topP: 1, minP: 1, repetitionPenalty: 0.5).validate()
    }

    @Test func samplingFieldsOutOfRangeAreNamed() {
        let cases: [(SamplingParameters, GenerationError)] = [
            (SamplingParameters(temperature: -0.5), Self.invalid("temperature", "must be a finite number at least 0, got -0.5")),
            (SamplingParameters(temperature: .infinity), Self.invalid("temperature", "must be a finite number at least 0, got inf")),
            (SamplingParameters(topP: 0), Self.invalid("top_p", "must be in (0, 1], got 0.0")),
            (SamplingParameters(topP: 1.5), Self.invalid("top_p", "must be in (0, 1], got 1.5")),
            (SamplingParameters(topP: .nan), Self.invalid("top_p", "must be in (0, 1], got nan")),
            (SamplingParameters(topK: -1), Self.invalid("top_k", "must be at least 0 (0 turns it off), got -1")),
            (SamplingParameters(minP: -0.1), Self.invalid("min_p", "must be in [0, 1], got -0.1")),
            (SamplingParameters(minP: 1.25), Self.invalid("min_p", "must be in [0, 1], got 1.25")),
            (SamplingParameters(repetitionPenalty: 0), Self.invalid("repetition_penalty", "must be a finite number greater than 0, got 0.0")),
            (SamplingParameters(repetitionPenalty: -1), Self.invalid("repetition_penalty", "must be a finite number greater than 0, got -1.0")),
        ]
        for (parameters, error) in cases {
            #expect(throws: error) { try parameters.validate() }
            #expect(throws: error) { try GenerationRequest(prompt: [1], sampling: parameters).validate() }
        }
    }

    @Test func requestFieldsOutOfRangeAreNamed() {
        #expect(throws: Self.invalid("prompt", "must hold at least one token")) { try GenerationRequest(prompt: []).validate() }
        #expect(throws: Self.invalid("max_tokens", "must be at least 0, got -1")) {
            try GenerationRequest(prompt: [1], maxTokens: -1).validate()
        }
        #expect(throws: Self.invalid("logprobs", "must be between 0 and 20, got 21")) {
            try GenerationRequest(prompt: [1], logprobs: 21).validate()
        }
        #expect(throws: Self.invalid("logprobs", "must be between 0 and 20, got -1")) {
            try GenerationRequest(prompt: [1], promptLogprobs: -1).validate()
        }
        #expect(Self.invalid("top_p", "must be in (0, 1], got 0.0").description == "top_p: must be in (0, 1], got 0.0")
    }
}
