import FactoryCore
import Testing

@testable import Inference

/// The engine over the real decoder: the fixtures' transformers parity holds through the
/// scheduler, and seeded requests batched together give exactly their one-at-a-time results.
@Suite struct LagunaEngineTests {
    static func engine(_ fixture: GenerationFixture, storage: KVCacheStorage, maxBatch: Int = 16) throws -> GenerationEngine<LagunaDecoder> {
        let decoder = try LagunaDecoder(model: fixture.model, cacheStorage: storage, pool: ThreadPool(threadCount: 2))
        return try GenerationEngine(decoder: decoder, limits: SchedulerLimits(maxBatch: maxBatch, maxCacheBytes: 1 << 30))
    }

    /// Eight prompts of different lengths drawn from the fixture's prompt, each with its own sampling.
    static func requests(_ fixture: GenerationFixture) -> [GenerationRequest] {
        (0..<8).map { index in
            let prompt = Array(fixture.prompt.prefix(3 + index)).map { ($0 + UInt32(index)) % UInt32(fixture.model.config.vocabSize) }
            let sampling = SamplingParameters(
                temperature: 0.7 + 0.1 * Float(index % 3), topK: index % 2 == 0 ? 0 : 20, topP: index % 4 == 3 ? 0.9 : 1,
                minP: index == 5 ? 0.05 : 0, repetitionPenalty: index == 6 ? 1.2 : 1, seed: UInt64(100 + index))
            return GenerationRequest(prompt: prompt, sampling: sampling, maxTokens: 12 + index, logprobs: 2)
        }
    }

    @Test(arguments: GenerationFixture.names)
    func greedyGenerationThroughTheEngineMatchesTransformers(name: String) async throws {
        let fixture = try GenerationFixture(name)
        let engine = try Self.engine(fixture, storage: .fp32)
        let request = GenerationRequest(prompt: fixture.prompt, sampling: .greedy, maxTokens: fixture.generated.count)
        let collected = try await Collected(engine.submit(request))
        #expect(collected.tokens == fixture.generated)
        #expect(collected.finish == .length)
    }

    @Test(arguments: GenerationFixture.names, [KVCacheStorage.fp32, .fp8])
    func concurrentSeededRequestsEqualTheirOneAtATimeResults(name: String, storage: KVCacheStorage) async throws {
        let fixture = try GenerationFixture(name)
        let requests = Self.requests(fixture)
        let alone = try Self.engine(fixture, storage: storage, maxBatch: 1)
        var expected: [Collected] = []
        for request in requests { expected.append(try await Collected(alone.submit(request))) }

        let together = try Self.engine(fixture, storage: storage)
        let streams = try requests.map { try together.submit($0) }
        var actual: [Collected] = []
        for stream in streams { actual.append(try await Collected(stream)) }
        #expect(actual == expected)
        #expect(expected.map(\.tokens.count) == requests.map(\.maxTokens))
        let statistics = together.statistics
        #expect(statistics.decodedSequences > statistics.decodeSteps, "the requests shared decode steps")
    }
}
