import FactoryCore
import Foundation
import Inference
import Models
import Server
import Testing

/// The server over the real engine and decoder: a tiny randomly initialized Laguna model with
/// the test tokenizer, the Inference module's detokenizer, stop matcher, chat format and
/// reasoning splitter.
@Suite struct EngineServerTests {
    static func served() throws -> (ServedModel, any GenerationService) {
        let config = LagunaConfig(
            vocabSize: TestModel.tokenizer.vocabularySize, hiddenSize: 32, intermediateSize: 64, numHiddenLayers: 2,
            numAttentionHeads: 4, numKeyValueHeads: 2, headDim: 8, maxPositionEmbeddings: 256, initializerRange: 0.5, slidingWindow: 16,
            layerTypes: [.slidingAttention, .fullAttention], mlpLayerTypes: [.dense, .dense])
        let model = try LagunaModel.initialized(config, seed: 11)
        let decoder = try LagunaDecoder(model: model)
        let engine = try GenerationEngine(decoder: decoder, limits: SchedulerLimits(maxBatch: 8, maxQueue: 16, maxCacheBytes: 1 << 26))
        let tokenizer = TestModel.tokenizer
        let format = ChatFormat()
        let served = ServedModel(
            name: "tiny", tokenizer: tokenizer, stopTokens: [TestModel.endOfText], maxSequenceLength: 256,
            renderChat: ServedModel.renderer(format),
            makeDetokenizer: { IncrementalDetokenizer(tokenizer: tokenizer) }, makeStopMatcher: { StopStringMatcher(stops: $0) },
            makeReasoningSplitter: { ReasoningSplitter(startsInReasoning: $0) })
        return (served, engine)
    }

    static func completion(_ server: LiveServer, _ prompt: String, seed: Int) async throws -> [String: Any] {
        let body = try await server.post(
            "/v1/completions",
            #"{"model": "tiny", "prompt": \#(JSONText.quoted(prompt)), "max_tokens": 20, "temperature": 0.9, "top_k": 50, "seed": \#(seed), "logprobs": 2}"#
        )
        #expect(body.status == 200, "\(body.body)")
        return try #require((try object(body.body)["choices"] as? [[String: Any]])?.first)
    }

    @Test func concurrentRequestsGiveTheirOneAtATimeResults() async throws {
        let (model, engine) = try Self.served()
        let prompts = ["one", "a longer prompt than the others, past the sliding window", "three", "4", "five five", "six"]
        try await LiveServer.with(engine, model: model) { server in
            var alone = [String]()
            for (index, prompt) in prompts.enumerated() {
                let choice = try await Self.completion(server, prompt, seed: index)
                alone.append(try String(decoding: JSONSerialization.data(withJSONObject: choice, options: .sortedKeys), as: UTF8.self))
            }
            let together = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for (index, prompt) in prompts.enumerated() {
                    group.addTask {
                        let choice = try await Self.completion(server, prompt, seed: index)
                        return (index, try String(decoding: JSONSerialization.data(withJSONObject: choice, options: .sortedKeys), as: UTF8.self))
                    }
                }
                var results = [String](repeating: "", count: prompts.count)
                for try await (index, text) in group { results[index] = text }
                return results
            }
            #expect(together == alone)
        }
    }

    @Test func chatReasoningOnAndOffMatchTheRenderedPromptsCompletion() async throws {
        let (model, engine) = try Self.served()
        try await LiveServer.with(engine, model: model) { server in
            for thinking in [true, false] {
                let chat = try await server.post(
                    "/v1/chat/completions",
                    #"{"model": "tiny", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 12, "seed": 5, "temperature": 1, "chat_template_kwargs": {"enable_thinking": \#(thinking)}}"#
                )
                let message = try #require((try object(chat.body)["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])
                let prompt = model.renderChat!([ChatMessage(role: .user, content: "hi")], thinking)
                let plain = try await server.post(
                    "/v1/completions",
                    #"{"model": "tiny", "prompt": \#(JSONText.quoted(prompt)), "max_tokens": 12, "seed": 5, "temperature": 1}"#)
                let text = try #require((try object(plain.body)["choices"] as? [[String: Any]])?.first?["text"] as? String)
                var splitter = ReasoningSplitter(startsInReasoning: thinking)
                let (reasoning, content) = splitter.feed(text)
                let (restReasoning, restContent) = splitter.finish()
                #expect(message["content"] as? String == content + restContent)
                let expectedReasoning = reasoning + restReasoning
                #expect((message["reasoning_content"] as? String) == (expectedReasoning.isEmpty ? nil : expectedReasoning))
                if thinking { #expect(!expectedReasoning.isEmpty) } else { #expect(expectedReasoning.isEmpty) }
            }
        }
    }
}
