import Foundation
import HummingbirdTesting
import Server
import Testing

/// Health, models and metrics; a full queue, a client that goes away, and a graceful shutdown.
@Suite struct LifecycleTests {
    @Test func healthModelsAndMetrics() async throws {
        let service = ScriptedService { _ in [TestModel.endOfText] }
        let (health, models, metrics) = try await LiveServer.with(service) { server in
            (try await server.send(.get, "/health"), try await server.send(.get, "/v1/models"), try await server.send(.get, "/metrics"))
        }
        #expect(health.status == 200 && health.body == #"{"status":"ok"}"#)
        let list = try object(models.body)
        let data = try #require(list["data"] as? [[String: Any]])
        #expect(data.map { $0["id"] as? String } == ["tiny"])
        #expect(data.first?["object"] as? String == "model" && data.first?["max_model_len"] as? Int == 512)
        #expect(metrics.status == 200)
        let lines = Set(metrics.body.split(separator: "\n").map(String.init))
        for expected in [
            "# TYPE factory_queue_length gauge", "factory_queue_length 2", "factory_batch_size 0", "factory_mean_batch_size 2.5",
            "factory_decode_tokens_per_second 20", "# TYPE factory_time_to_first_token_seconds summary",
            "factory_time_to_first_token_seconds_sum 0.25", "factory_time_to_first_token_seconds_count 2",
        ] {
            #expect(lines.contains(expected), "\(expected)")
        }
    }

    @Test func aFullQueueAnswers429() async throws {
        let service = ScriptedService(limit: 1, gated: true) { _ in TestModel.tokens("ok") + [TestModel.endOfText] }
        let (first, second) = try await LiveServer.with(service) { server in
            async let first = server.post("/v1/completions", json: ["model": "tiny", "prompt": "a"])
            var submissions = service.submissions.makeAsyncIterator()
            _ = await submissions.next()
            let second = try await server.post("/v1/completions", json: ["model": "tiny", "prompt": "b"])
            service.release()
            return (try await first, second)
        }
        #expect(second.status == 429)
        let error = try #require(try object(second.body)["error"] as? [String: Any])
        #expect(error["message"] as? String == "the queue is full (1 requests waiting); retry later")
        #expect(error["type"] as? String == "rate_limit_error")
        #expect(first.status == 200)
        #expect((try object(first.body)["choices"] as? [[String: Any]])?.first?["text"] as? String == "ok")
    }

    @Test func aClientThatDisconnectsCancelsItsGeneration() async throws {
        let service = ScriptedService(endless: true) { _ in TestModel.tokens("la ") }
        try await LiveServer.with(service) { server in
            let client = server.client()
            try await client.executeAndDontWaitForResponse(
                LiveServer.request(.post, "/v1/completions", body: #"{"model": "tiny", "prompt": "sing", "stream": true}"#))
            var submissions = service.submissions.makeAsyncIterator()
            _ = await submissions.next()
            try await client.close(mode: .all)
            var endings = service.endings.makeAsyncIterator()
            #expect(await endings.next() == .cancelled)
        }
        #expect(service.state.withLock { $0.active } == 0)
    }

    @Test func gracefulShutdownFinishesRunningRequestsThenDrains() async throws {
        let service = ScriptedService(gated: true) { _ in TestModel.tokens("done") + [TestModel.endOfText] }
        let response = try await LiveServer.with(service) { server in
            async let response = server.post("/v1/completions", json: ["model": "tiny", "prompt": "a", "stream": true])
            var submissions = service.submissions.makeAsyncIterator()
            _ = await submissions.next()
            await server.group.triggerGracefulShutdown()
            #expect(service.state.withLock { !$0.drained })
            service.release()
            return try await response
        }
        #expect(response.status == 200)
        let payloads = try events(response.body)
        #expect(payloads.last == "[DONE]")
        let text = try payloads.dropLast().compactMap { (try object($0)["choices"] as? [[String: Any]])?.first?["text"] as? String }
        #expect(text.joined() == "done")
        #expect(service.state.withLock { $0.drained && $0.endings == [.finished] })
    }
}
