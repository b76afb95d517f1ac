import Foundation
import Inference
import Server
import Testing

@Suite struct ChatCompletionsTests {
    static let turns = #"[{"role": "system", "content": "Be brief."}, {"role": "user", "content": [{"type": "text", "text": "2+2?"}]}]"#
    static let chatTurns = [ChatMessage(role: .system, content: "Be brief."), ChatMessage(role: .user, content: "2+2?")]
    static let reasoningReply = TestModel.tokens("Two and two.</think>\n\nIt is 4.") + [TestModel.endOfText]
    static let plainReply = TestModel.tokens("It is 4.") + [TestModel.endOfText]

    @Test func reasoningOnReturnsTheReasoningApartFromTheAnswer() async throws {
        let service = ScriptedService { _ in Self.reasoningReply }
        let body = try await LiveServer.with(service) { server in
            try await server.post("/v1/chat/completions", #"{"model": "tiny", "seed": 3, "messages": "# + Self.turns + "}")
        }
        #expect(body.status == 200)
        let response = try object(body.body)
        #expect(response["object"] as? String == "chat.completion")
        let choice = try #require((response["choices"] as? [[String: Any]])?.first)
        let message = try #require(choice["message"] as? [String: Any])
        #expect(message["role"] as? String == "assistant")
        #expect(message["content"] as? String == "\n\nIt is 4.")
        #expect(message["reasoning_content"] as? String == "Two and two.")
        #expect(choice["finish_reason"] as? String == "stop")
        let prompt = TestModel.tokens(TestModel.render(Self.chatTurns, true))
        #expect(service.state.withLock { $0.submitted.first?.prompt } == prompt)
        #expect(
            response["usage"] as? [String: Int]
                == [
                    "prompt_tokens": prompt.count, "completion_tokens": Self.reasoningReply.count,
                    "total_tokens": prompt.count + Self.reasoningReply.count,
                ])
        // Without max_tokens the rest of the sequence length is the limit.
        #expect(service.state.withLock { $0.submitted.first?.maxTokens } == 512 - prompt.count)
    }

    @Test(arguments: [#""chat_template_kwargs": {"enable_thinking": false}"#, #""reasoning_effort": "none""#])
    func reasoningOffClosesTheReasoningBlockInThePrompt(_ switchOff: String) async throws {
        let service = ScriptedService { _ in Self.plainReply }
        let request = #"{"model": "tiny", "max_tokens": 50, "# + switchOff + #", "messages": "# + Self.turns + "}"
        let body = try await LiveServer.with(service) { server in try await server.post("/v1/chat/completions", request) }
        let message = try #require((try object(body.body)["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])
        #expect(message["content"] as? String == "It is 4.")
        #expect(message["reasoning_content"] is NSNull)
        #expect(service.state.withLock { $0.submitted.first?.prompt } == TestModel.tokens(TestModel.render(Self.chatTurns, false)))
        #expect(service.state.withLock { $0.submitted.first?.maxTokens } == 50)
    }

    @Test func streamingSendsRoleReasoningAndContentDeltasThenDone() async throws {
        let service = ScriptedService { _ in Self.reasoningReply }
        let body = try await LiveServer.with(service) { server in
            try await server.post(
                "/v1/chat/completions",
                #"{"model": "tiny", "stream": true, "stream_options": {"include_usage": true}, "messages": "# + Self.turns + "}")
        }
        let payloads = try events(body.body)
        #expect(payloads.last == "[DONE]")
        let chunks = try payloads.dropLast().map(object)
        #expect(chunks.allSatisfy { $0["object"] as? String == "chat.completion.chunk" })
        let choices = chunks.compactMap { ($0["choices"] as? [[String: Any]])?.first }
        let deltas = choices.compactMap { $0["delta"] as? [String: Any] }
        #expect(deltas.first?["role"] as? String == "assistant")
        #expect(deltas.compactMap { $0["reasoning_content"] as? String }.joined() == "Two and two.")
        #expect(deltas.compactMap { $0["content"] as? String }.joined() == "\n\nIt is 4.")
        #expect(choices.last?["finish_reason"] as? String == "stop")
        #expect(chunks.last?["choices"] as? [Any] == nil || (chunks.last?["choices"] as? [Any])?.isEmpty == true)
        #expect((chunks.last?["usage"] as? [String: Int])?["completion_tokens"] == Self.reasoningReply.count)
    }

    @Test func aStopStringEndsTheAnswer() async throws {
        let service = ScriptedService { _ in Self.plainReply }
        let body = try await LiveServer.with(service) { server in
            try await server.post(
                "/v1/chat/completions", #"{"model": "tiny", "stop": "4", "reasoning_effort": "none", "messages": "# + Self.turns + "}")
        }
        let choice = try #require((try object(body.body)["choices"] as? [[String: Any]])?.first)
        #expect((choice["message"] as? [String: Any])?["content"] as? String == "It is ")
        #expect(choice["finish_reason"] as? String == "stop")
    }
}
