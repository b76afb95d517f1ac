import Foundation
import Inference
import Server
import Testing

@Suite struct CompletionsTests {
    static let reply = TestModel.tokens("Hello world") + [TestModel.endOfText]

    @Test func textPromptReturnsTheGeneratedTextAndPassesTheSamplingFields() async throws {
        let service = ScriptedService { _ in Self.reply }
        let body = try await LiveServer.with(service) { server in
            try await server.post(
                "/v1/completions",
                json: [
                    "model": "tiny", "prompt": "Say hi", "max_tokens": 20, "temperature": 0.5, "top_p": 0.9, "top_k": 40,
                    "min_p": 0.05, "repetition_penalty": 1.1, "seed": 7,
                ])
        }
        #expect(body.status == 200)
        let response = try object(body.body)
        #expect(response["object"] as? String == "text_completion")
        #expect(response["model"] as? String == "tiny")
        let choice = try #require((response["choices"] as? [[String: Any]])?.first)
        #expect(choice["text"] as? String == "Hello world")
        #expect(choice["finish_reason"] as? String == "stop")
        #expect(choice["logprobs"] is NSNull)
        let usage = try #require(response["usage"] as? [String: Int])
        #expect(usage == ["prompt_tokens": 6, "completion_tokens": 12, "total_tokens": 18])
        let request = try #require(service.state.withLock { $0.submitted.first })
        #expect(request.prompt == TestModel.tokens("Say hi"))
        #expect(request.maxTokens == 20)
        #expect(request.stopTokens == [TestModel.endOfText])
        #expect(
            request.sampling
                == SamplingParameters(temperature: 0.5, topK: 40, topP: 0.9, minP: 0.05, repetitionPenalty: 1.1, seed: 7))
        #expect(request.logprobs == nil && request.promptLogprobs == nil)
    }

    @Test func maxTokensEndsWithLength() async throws {
        let service = ScriptedService { _ in Self.reply }
        let body = try await LiveServer.with(service) { server in
            try await server.post("/v1/completions", json: ["model": "tiny", "prompt": "x", "max_tokens": 5])
        }
        let choice = try #require((try object(body.body)["choices"] as? [[String: Any]])?.first)
        #expect(choice["text"] as? String == "Hello")
        #expect(choice["finish_reason"] as? String == "length")
    }

    @Test func stopStringCutsTheTextAndCancelsTheGeneration() async throws {
        let service = ScriptedService(endless: true) { _ in TestModel.tokens("Hello world") }
        let body = try await LiveServer.with(service) { server in
            try await server.post("/v1/completions", json: ["model": "tiny", "prompt": "x", "stop": ["xyz", "wor"]])
        }
        let choice = try #require((try object(body.body)["choices"] as? [[String: Any]])?.first)
        #expect(choice["text"] as? String == "Hello ")
        #expect(choice["finish_reason"] as? String == "stop")
        var endings = service.endings.makeAsyncIterator()
        #expect(await endings.next() == .cancelled)
    }

    @Test func tokenIdPromptsAndListsOfPromptsGiveOneChoiceEach() async throws {
        let service = ScriptedService { request in request.prompt.reversed() }
        let body = try await LiveServer.with(service) { server in
            try await server.post("/v1/completions", json: ["model": "tiny", "prompt": [[72, 105], "ab"], "max_tokens": 4])
        }
        let choices = try #require(try object(body.body)["choices"] as? [[String: Any]])
        #expect(choices.map { $0["index"] as? Int } == [0, 1])
        #expect(choices.map { $0["text"] as? String } == ["iH", "ba"])
        #expect(Set(service.state.withLock { $0.submitted.map(\.prompt) }) == [[72, 105], [97, 98]])
        // The first server drained its service on shutdown: a second server gets a new one.
        let single = try await LiveServer.with(ScriptedService { request in request.prompt.reversed() }) { server in
            try await server.post("/v1/completions", json: ["model": "tiny", "prompt": [72, 105], "max_tokens": 1])
        }
        #expect((try object(single.body)["choices"] as? [[String: Any]])?.first?["text"] as? String == "i", "\(single.body)")
    }

    @Test func logprobsGiveTokensTheirLogprobsTopAlternativesAndOffsets() async throws {
        let service = ScriptedService { _ in TestModel.tokens("Hé!") + [TestModel.endOfText] }
        let body = try await LiveServer.with(service) { server in
            try await server.post("/v1/completions", json: ["model": "tiny", "prompt": "x", "logprobs": 2])
        }
        let choice = try #require((try object(body.body)["choices"] as? [[String: Any]])?.first)
        let logprobs = try #require(choice["logprobs"] as? [String: Any])
        let generated = TestModel.tokens("Hé!") + [TestModel.endOfText]
        // "é" is two bytes: its first token completes no text, its second carries the character.
        #expect(logprobs["tokens"] as? [String] == ["H", "", "é", "!", ""])
        #expect(logprobs["text_offset"] as? [Int] == [0, 1, 1, 2, 3])
        let expected = generated.map { Double(ScriptedService.logprob($0)) }
        #expect((logprobs["token_logprobs"] as? [Double]).map { zip($0, expected).allSatisfy { abs($0 - $1) < 1e-6 } } == true)
        let top = try #require(logprobs["top_logprobs"] as? [[String: Double]])
        #expect(top.count == 5)
        // Two alternatives (the next two byte values) and the chosen token.
        #expect(top[0].keys.sorted() == ["H", "I", "J"])
        #expect(abs(top[0]["I"]! - -0.1) < 1e-6 && abs(top[0]["H"]! - Double(ScriptedService.logprob(72))) < 1e-6)
        #expect(service.state.withLock { $0.submitted.first?.logprobs } == 2)
    }

    /// lm-evaluation-harness's `local-completions` scores a continuation with `echo`,
    /// `logprobs: 1` and `max_tokens: 1`, reading `token_logprobs[ctxlen:-1]`.
    @Test func echoWithLogprobsReturnsThePromptsLogprobs() async throws {
        let service = ScriptedService { _ in TestModel.tokens("!") }
        let prompt = TestModel.tokens("Hi yo")
        let body = try await LiveServer.with(service) { server in
            try await server.post(
                "/v1/completions",
                json: ["model": "tiny", "prompt": [prompt.map(Int.init)], "echo": true, "logprobs": 1, "max_tokens": 1, "temperature": 0])
        }
        let choice = try #require((try object(body.body)["choices"] as? [[String: Any]])?.first)
        #expect(choice["text"] as? String == "Hi yo!")
        let logprobs = try #require(choice["logprobs"] as? [String: Any])
        #expect(logprobs["tokens"] as? [String] == ["H", "i", " ", "y", "o", "!"])
        #expect(logprobs["text_offset"] as? [Int] == [0, 1, 2, 3, 4, 5])
        let values = try #require(logprobs["token_logprobs"] as? [Any])
        #expect(values[0] is NSNull)
        let expected = (prompt.dropFirst() + [33]).map { Double(ScriptedService.logprob($0)) }
        #expect(zip(values.dropFirst().compactMap { $0 as? Double }, expected).allSatisfy { abs($0 - $1) < 1e-6 })
        #expect(values.count == 6)
        let top = try #require(logprobs["top_logprobs"] as? [Any])
        #expect(top[0] is NSNull && (top[1] as? [String: Double])?.count == 2)
        let request = try #require(service.state.withLock { $0.submitted.first })
        #expect(request.promptLogprobs == 1 && request.logprobs == 1 && request.maxTokens == 1)

        let scoreOnly = try await LiveServer.with(ScriptedService { _ in TestModel.tokens("!") }) { server in
            try await server.post(
                "/v1/completions", json: ["model": "tiny", "prompt": "Hi yo", "echo": true, "logprobs": 0, "max_tokens": 0])
        }
        let scored = try #require((try object(scoreOnly.body)["choices"] as? [[String: Any]])?.first, "\(scoreOnly.body)")
        #expect(scored["text"] as? String == "Hi yo")
        #expect(((scored["logprobs"] as? [String: Any])?["token_logprobs"] as? [Any])?.count == 5)
    }

    @Test func streamingSendsTextChunksThenTheFinishReasonUsageAndDone() async throws {
        let service = ScriptedService { _ in Self.reply }
        let body = try await LiveServer.with(service) { server in
            try await server.post(
                "/v1/completions",
                json: ["model": "tiny", "prompt": "x", "stream": true, "stream_options": ["include_usage": true]])
        }
        #expect(body.status == 200)
        let payloads = try events(body.body)
        #expect(payloads.last == "[DONE]")
        let chunks = try payloads.dropLast().map(object)
        #expect(chunks.allSatisfy { $0["object"] as? String == "text_completion" })
        let choices = chunks.compactMap { ($0["choices"] as? [[String: Any]])?.first }
        #expect(choices.compactMap { $0["text"] as? String }.joined() == "Hello world")
        #expect(choices.last?["finish_reason"] as? String == "stop")
        #expect(choices.dropLast().allSatisfy { $0["finish_reason"] is NSNull })
        #expect(chunks.last?["usage"] as? [String: Int] == ["prompt_tokens": 1, "completion_tokens": 12, "total_tokens": 13])
    }
}
