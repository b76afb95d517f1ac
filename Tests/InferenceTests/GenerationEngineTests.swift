import FactoryCore
import Foundation
import Testing

@testable import Inference

@Suite struct GenerationEngineTests {
    /// An engine over the fake decoder with its recorder.
    static func engine(
        maxBatch: Int = 16, maxQueue: Int = 64, maxCacheBytes: Int = 1 << 30, maximumSequenceLength: Int = 64,
        failingToken: UInt32? = nil
    ) throws -> (GenerationEngine<FakeDecoder>, DecoderRecorder) {
        let recorder = DecoderRecorder()
        let decoder = FakeDecoder(maximumSequenceLength: maximumSequenceLength, failingToken: failingToken, recorder: recorder)
        let limits = SchedulerLimits(maxBatch: maxBatch, maxQueue: maxQueue, maxCacheBytes: maxCacheBytes)
        return (try GenerationEngine(decoder: decoder, limits: limits), recorder)
    }

    static func greedy(_ prompt: [UInt32], maxTokens: Int, stopTokens: Set<UInt32> = []) -> GenerationRequest {
        GenerationRequest(prompt: prompt, sampling: .greedy, maxTokens: maxTokens, stopTokens: stopTokens)
    }

    /// Holds the engine's thread in the prefill of a one-token request (prompt [30]) until
    /// `recorder.resume()`, so the requests submitted meanwhile are all queued at the next admission.
    static func holdEngine(
        _ engine: GenerationEngine<FakeDecoder>, _ recorder: DecoderRecorder
    ) async throws -> AsyncThrowingStream<GenerationEvent, any Error> {
        recorder.pause(atEvent: 0)
        let blocker = try engine.submit(greedy([30], maxTokens: 1))
        await recorder.waitForEvents(1)
        return blocker
    }

    @Test func requestsJoinAndLeaveTheBatchBetweenDecodeSteps() async throws {
        let (engine, recorder) = try Self.engine()
        recorder.pause(atEvent: 0)
        let first = try engine.submit(Self.greedy([10], maxTokens: 5))
        await recorder.waitForEvents(1)
        let second = try engine.submit(Self.greedy([20], maxTokens: 5))
        recorder.resume()
        let (a, b) = (try await Collected(first), try await Collected(second))
        #expect(a.tokens == [11, 12, 13, 14, 15] && a.finish == .length)
        #expect(b.tokens == [21, 22, 23, 24, 25] && b.finish == .length)
        #expect(
            recorder.events == [
                .prefill([10]), .decode([10]), .prefill([20]), .decode([10, 20]), .decode([10, 20]), .decode([10, 20]), .decode([20]),
            ])
        let statistics = engine.statistics
        #expect(statistics.decodeSteps == 5 && statistics.decodedSequences == 8)
        #expect(statistics.generatedTokens == 10 && statistics.promptTokens == 2 && statistics.requestsFinished == 2)
        #expect(statistics.timeToFirstTokenCount == 2)
        #expect(statistics.running == 0 && statistics.queued == 0 && statistics.cachedTokens == 0 && statistics.cacheBytes == 0)
    }

    @Test func aRequestWhoseCacheDoesNotFitWaitsForTheRunningOneToFinish() async throws {
        // 100 bytes per token: the first reserves (3 + 4) × 100, the second (2 + 3) × 100.
        let (engine, recorder) = try Self.engine(maxCacheBytes: 1000)
        recorder.pause(atEvent: 2)
        let first = try engine.submit(Self.greedy([1, 2, 3], maxTokens: 5))
        let second = try engine.submit(Self.greedy([7, 8], maxTokens: 4))
        await recorder.waitForEvents(3)
        let held = engine.statistics
        #expect(held.queued == 1 && held.running == 1)
        #expect(held.cachedTokens == 4 && held.cacheBytes == 400)
        recorder.resume()
        let (a, b) = (try await Collected(first), try await Collected(second))
        #expect(a.tokens == [4, 5, 6, 7, 8] && b.tokens == [9, 10, 11, 12])
        #expect(
            recorder.events == [.prefill([1, 2, 3])] + Array(repeating: .decode([1]), count: 4) + [.prefill([7, 8])]
                + Array(repeating: .decode([7]), count: 3))
    }

    @Test func requestsThatFitTogetherShareTheBatch() async throws {
        let (engine, recorder) = try Self.engine(maxCacheBytes: 1200)
        let blocker = try await Self.holdEngine(engine, recorder)
        let first = try engine.submit(Self.greedy([1, 2, 3], maxTokens: 5))
        let second = try engine.submit(Self.greedy([7, 8], maxTokens: 4))
        recorder.resume()
        _ = (try await Collected(blocker), try await Collected(first), try await Collected(second))
        #expect(Array(recorder.events.prefix(4)) == [.prefill([30]), .prefill([1, 2, 3]), .prefill([7, 8]), .decode([1, 7])])
    }

    @Test func theBatchHoldsAtMostMaxBatchRequests() async throws {
        let (engine, recorder) = try Self.engine(maxBatch: 2)
        let blocker = try await Self.holdEngine(engine, recorder)
        let streams = try [1, 2, 3].map { try engine.submit(Self.greedy([UInt32($0)], maxTokens: 3)) }
        recorder.resume()
        for stream in [blocker] + streams { _ = try await Collected(stream) }
        #expect(
            recorder.events == [
                .prefill([30]), .prefill([1]), .prefill([2]), .decode([1, 2]), .decode([1, 2]), .prefill([3]), .decode([3]), .decode([3]),
            ])
    }

    @Test func aFullQueueRefusesTheRequest() async throws {
        let (engine, recorder) = try Self.engine(maxBatch: 1, maxQueue: 1)
        recorder.pause(atEvent: 0)
        let running = try engine.submit(Self.greedy([1], maxTokens: 2))
        await recorder.waitForEvents(1)
        let queued = try engine.submit(Self.greedy([2], maxTokens: 2))
        #expect(throws: GenerationError.queueFull(limit: 1)) { try engine.submit(Self.greedy([3], maxTokens: 2)) }
        #expect(GenerationError.queueFull(limit: 1).description == "the queue is full (1 requests waiting); retry later")
        recorder.resume()
        #expect(try await Collected(running).tokens == [2, 3])
        #expect(try await Collected(queued).tokens == [3, 4])
    }

    /// Holds a stream so a test decides when it goes away.
    final class StreamHolder {
        var stream: AsyncThrowingStream<GenerationEvent, any Error>?
        init(_ stream: AsyncThrowingStream<GenerationEvent, any Error>) { self.stream = stream }
    }

    @Test func aConsumerThatGoesAwayFreesItsSlotBeforeTheNextStep() async throws {
        let (engine, recorder) = try Self.engine(maxBatch: 1)
        recorder.pause(atEvent: 2)
        let abandoned = StreamHolder(try engine.submit(Self.greedy([1], maxTokens: 50)))
        let waiting = try engine.submit(Self.greedy([9], maxTokens: 2))
        await recorder.waitForEvents(3)
        abandoned.stream = nil
        recorder.resume()
        #expect(try await Collected(waiting).tokens == [10, 11])
        #expect(recorder.events == [.prefill([1]), .decode([1]), .decode([1]), .prefill([9]), .decode([9])])
        let statistics = engine.statistics
        #expect(statistics.requestsFinished == 2 && statistics.running == 0)
    }

    @Test func cancellingTheConsumingTaskEndsTheRequest() async throws {
        let (engine, recorder) = try Self.engine(maxBatch: 1)
        recorder.pause(atEvent: 3)
        let cancelled = try engine.submit(Self.greedy([1], maxTokens: 50))
        let waiting = try engine.submit(Self.greedy([9], maxTokens: 2))
        let consumer = Task { try await Collected(cancelled) }
        await recorder.waitForEvents(4)
        consumer.cancel()
        let partial = try await consumer.value
        #expect(partial.finish == nil && partial.tokens.count <= 4)
        recorder.resume()
        #expect(try await Collected(waiting).tokens == [10, 11])
        #expect(Array(recorder.events.suffix(2)) == [.prefill([9]), .decode([9])])
        #expect(recorder.events.filter { $0 == .decode([1]) }.count == 3)
    }

    @Test func aCancelledQueuedRequestLeavesTheQueue() async throws {
        let (engine, recorder) = try Self.engine(maxBatch: 1, maxQueue: 1)
        recorder.pause(atEvent: 0)
        let running = try engine.submit(Self.greedy([1], maxTokens: 2))
        await recorder.waitForEvents(1)
        let queued = StreamHolder(try engine.submit(Self.greedy([2], maxTokens: 2)))
        #expect(engine.statistics.queued == 1)
        queued.stream = nil
        #expect(engine.statistics.queued == 0)
        let replacement = try engine.submit(Self.greedy([3], maxTokens: 2))
        recorder.resume()
        _ = (try await Collected(running), try await Collected(replacement))
        #expect(!recorder.events.contains(.prefill([2])))
    }

    @Test func drainFinishesQueuedAndRunningRequestsThenRefusesNewOnes() async throws {
        let (engine, _) = try Self.engine(maxBatch: 1)
        let streams = try (1...3).map { try engine.submit(Self.greedy([UInt32($0)], maxTokens: 4)) }
        await engine.drain()
        let statistics = engine.statistics
        #expect(statistics.requestsFinished == 3 && statistics.queued == 0 && statistics.running == 0)
        for (index, stream) in streams.enumerated() {
            let collected = try await Collected(stream)
            #expect(collected.tokens.count == 4 && collected.finish == .length, "request \(index)")
        }
        #expect(throws: GenerationError.shuttingDown) { try engine.submit(Self.greedy([1], maxTokens: 1)) }
        await engine.drain()
    }

    @Test func aStopTokenEndsTheRequestAndIsReported() async throws {
        let (engine, _) = try Self.engine()
        let collected = try await Collected(engine.submit(Self.greedy([5], maxTokens: 10, stopTokens: [8, 30])))
        #expect(collected.tokens == [6, 7, 8] && collected.finish == .stop)
        let first = try await Collected(engine.submit(Self.greedy([5], maxTokens: 10, stopTokens: [6])))
        #expect(first.tokens == [6] && first.finish == .stop)
        let last = try await Collected(engine.submit(Self.greedy([5], maxTokens: 3, stopTokens: [8])))
        #expect(last.tokens == [6, 7, 8] && last.finish == .stop)
    }

    @Test func maxTokensEndsTheRequest() async throws {
        let (engine, recorder) = try Self.engine()
        let collected = try await Collected(engine.submit(Self.greedy([5], maxTokens: 3)))
        #expect(collected.tokens == [6, 7, 8] && collected.finish == .length)
        #expect(recorder.events == [.prefill([5]), .decode([5]), .decode([5])])
    }

    @Test func theMaximumSequenceLengthEndsTheRequest() async throws {
        let (engine, recorder) = try Self.engine(maxCacheBytes: 800, maximumSequenceLength: 8)
        // 5 prompt tokens leave room for 3 generated ones; the cache never holds the last one.
        let collected = try await Collected(engine.submit(Self.greedy([1, 2, 3, 4, 5], maxTokens: 100)))
        #expect(collected.tokens == [6, 7, 8] && collected.finish == .length)
        #expect(recorder.events.count == 3)
        let full = try await Collected(engine.submit(Self.greedy([1, 2, 3, 4, 5, 6, 7, 8], maxTokens: 4)))
        #expect(full.tokens.isEmpty && full.finish == .length)
    }

    @Test func zeroMaxTokensOnlyScoresThePrompt() async throws {
        let (engine, recorder) = try Self.engine()
        let scored = try await Collected(
            engine.submit(GenerationRequest(prompt: [3, 4, 9], sampling: .greedy, maxTokens: 0, promptLogprobs: 1)))
        #expect(scored.tokens.isEmpty && scored.finish == .length && scored.promptLogprobs?.count == 3)
        let nothing = try await Collected(engine.submit(Self.greedy([3], maxTokens: 0)))
        #expect(nothing.tokens.isEmpty && nothing.finish == .length && nothing.promptLogprobs == nil)
        #expect(recorder.events == [.prefill([3, 4, 9])])
    }

    /// log-softmax of `logits` in `Double`, the reference for the engine's log-probabilities.
    static func logSoftmax(_ logits: [Float]) -> [Double] {
        let best = Double(logits.max()!)
        let normalizer = best + log(logits.reduce(0.0) { $0 + exp(Double($1) - best) })
        return logits.map { Double($0) - normalizer }
    }

    /// Checks `entry` against the reference distribution after `context`.
    static func expectLogprob(_ entry: TokenLogprob?, token: UInt32, after context: [UInt32], top: Int) {
        let reference = logSoftmax(FakeDecoder.logits(after: context, vocabularySize: 32))
        let order = reference.indices.sorted { reference[$0] != reference[$1] ? reference[$0] > reference[$1] : $0 < $1 }
        #expect(entry?.token == token)
        #expect(abs(Double(entry?.logprob ?? 0) - reference[Int(token)]) < 1e-5)
        #expect(entry?.top.map(\.token) == order.prefix(top).map(UInt32.init))
        for alternative in entry?.top ?? [] {
            #expect(abs(Double(alternative.logprob) - reference[Int(alternative.token)]) < 1e-5)
        }
    }

    @Test func promptAndTokenLogprobsAreTheRawLogSoftmax() async throws {
        let (engine, _) = try Self.engine()
        let prompt: [UInt32] = [1, 5, 9, 2]
        let request = GenerationRequest(
            prompt: prompt, sampling: SamplingParameters(temperature: 0.7, topK: 3, repetitionPenalty: 1.3, seed: 3),
            maxTokens: 4, logprobs: 2, promptLogprobs: 3)
        let collected = try await Collected(engine.submit(request))
        let entries = try #require(collected.promptLogprobs)
        #expect(entries.count == 4 && entries[0] == nil)
        for index in 1..<prompt.count {
            Self.expectLogprob(entries[index], token: prompt[index], after: Array(prompt[..<index]), top: 3)
        }
        #expect(collected.tokens.count == 4)
        for (index, token) in collected.tokens.enumerated() {
            Self.expectLogprob(collected.logprobs[index], token: token, after: prompt + collected.tokens[..<index], top: 2)
        }
    }

    @Test func aSeededRequestGivesTheSameTokensAloneAndInABatch() async throws {
        let sampling = SamplingParameters(temperature: 1.2, topP: 0.95, seed: 42)
        let request = GenerationRequest(prompt: [3, 1], sampling: sampling, maxTokens: 24, logprobs: 1)
        let (alone, _) = try Self.engine()
        let single = try await Collected(alone.submit(request))
        let (shared, recorder) = try Self.engine()
        recorder.pause(atEvent: 0)
        let others = try (0..<3).map { index in
            try shared.submit(
                GenerationRequest(
                    prompt: [UInt32(index + 4)], sampling: SamplingParameters(temperature: 1, seed: UInt64(index)), maxTokens: 10 + 7 * index))
        }
        let batched = try shared.submit(request)
        recorder.resume()
        let inBatch = try await Collected(batched)
        for stream in others { _ = try await Collected(stream) }
        #expect(inBatch == single)
        #expect(Set(single.tokens).count > 3, "sampling should not be greedy-like here")
        #expect(shared.statistics.decodedSequences > shared.statistics.decodeSteps)
    }

    @Test func requestsTheModelCannotRunAreRefusedNamingTheField() throws {
        let (engine, _) = try Self.engine(maxCacheBytes: 1000, maximumSequenceLength: 16)
        #expect(throws: GenerationError.invalidRequest(field: "prompt", message: "token 32 at position 1 is outside the vocabulary (size 32)")) {
            try engine.submit(Self.greedy([1, 32], maxTokens: 1))
        }
        #expect(
            throws: GenerationError.invalidRequest(field: "prompt", message: "has 17 tokens, more than the model's maximum sequence length of 16")
        ) {
            try engine.submit(Self.greedy(Array(repeating: 1, count: 17), maxTokens: 1))
        }
        #expect(
            throws: GenerationError.invalidRequest(
                field: "max_tokens", message: "needs 1400 bytes of cache for 14 tokens, more than the engine's limit of 1000")
        ) {
            try engine.submit(Self.greedy([1, 2], maxTokens: 13))
        }
        #expect(
            throws: GenerationError.invalidRequest(
                field: "prompt", message: "needs 1200 bytes of cache for 12 tokens, more than the engine's limit of 1000")
        ) {
            try engine.submit(Self.greedy(Array(repeating: 1, count: 12), maxTokens: 0))
        }
        #expect(throws: GenerationError.invalidRequest(field: "temperature", message: "must be a finite number at least 0, got -1.0")) {
            try engine.submit(GenerationRequest(prompt: [1], sampling: SamplingParameters(temperature: -1)))
        }
    }

    @Test func limitsBelowOneAreRefused() {
        #expect(throws: FactoryError.invalidArgument(name: "maxBatch", message: "must be at least 1, got 0")) {
            try GenerationEngine(decoder: FakeDecoder(), limits: SchedulerLimits(maxBatch: 0, maxCacheBytes: 1))
        }
        #expect(throws: FactoryError.invalidArgument(name: "maxCacheBytes", message: "must be at least 1, got 0")) {
            try GenerationEngine(decoder: FakeDecoder(), limits: SchedulerLimits(maxCacheBytes: 0))
        }
    }

    @Test func aFailedPrefillEndsOnlyItsRequest() async throws {
        let (engine, recorder) = try Self.engine(failingToken: 31)
        recorder.pause(atEvent: 0)
        let healthy = try engine.submit(Self.greedy([1], maxTokens: 3))
        let failing = try engine.submit(Self.greedy([31, 2], maxTokens: 3))
        recorder.resume()
        await #expect(throws: FakeDecoder.Failure()) { _ = try await Collected(failing) }
        #expect(try await Collected(healthy).tokens == [2, 3, 4])
        #expect(engine.statistics.requestsFinished == 2)
    }
}
