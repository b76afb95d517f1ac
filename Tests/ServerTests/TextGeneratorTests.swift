import Inference
import Server
import Testing

@Suite struct TextGeneratorTests {
    @Test func chatWithReasoningSplitsTheOutputAndStreamsItInOrder() async throws {
        let reply = TestModel.tokens("Hmm.</think>Yes.") + [TestModel.endOfText]
        let service = ScriptedService { _ in reply }
        let generator = TextGenerator(model: TestModel.model(), service: service)
        var streamed = [(String, String)]()
        let output = try await generator.generate(
            "Ok?", chat: true, reasoning: true, sampling: .greedy, maxTokens: 40, onText: { streamed.append(($0, $1)) })
        #expect(
            output == .init(text: "Yes.", reasoning: "Hmm.", finishReason: "stop", promptTokens: output.promptTokens, completionTokens: reply.count))
        #expect(streamed.map(\.0).joined() == "Hmm." && streamed.map(\.1).joined() == "Yes.")
        let prompt = TestModel.tokens(TestModel.render([ChatMessage(role: .user, content: "Ok?")], true))
        #expect(service.state.withLock { $0.submitted.first?.prompt } == prompt && output.promptTokens == prompt.count)
    }

    @Test func completionKeepsAllTheTextAndStopsAtStopStrings() async throws {
        let service = ScriptedService { _ in TestModel.tokens("one, two, three") }
        let generator = TextGenerator(model: TestModel.model(), service: service)
        let output = try await generator.generate("Count:", chat: false, reasoning: true, sampling: .greedy, maxTokens: 40, stops: [", th"])
        #expect(output.text == "one, two" && output.reasoning == nil && output.finishReason == "stop")
        #expect(service.state.withLock { $0.submitted.first?.prompt } == TestModel.tokens("Count:"))
    }

    @Test func aPromptPastTheSequenceLengthIsRefused() async throws {
        let generator = TextGenerator(model: TestModel.model(maxSequenceLength: 8), service: ScriptedService { _ in [] })
        await #expect(throws: APIError.invalid("max_tokens", "max_tokens 5 with a prompt of 6 tokens exceeds the model's maximum of 8 tokens")) {
            try await generator.generate("Count:", chat: false, reasoning: false, sampling: .greedy, maxTokens: 5)
        }
    }
}
