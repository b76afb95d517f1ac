import Dispatch
import Foundation
import Inference
import Synchronization
import Tensors

/// A stand-in model for scheduling tests: a sequence's next-token logits are a fixed function of
/// its own tokens (the favourite is the last token + 1, modulo the vocabulary), so generation is
/// predictable and trivially batch-invariant.
struct FakeDecoder: SequenceDecoder {
    struct Cache: SequenceCache {
        var tokens: [UInt32]
        let bytesPerToken: Int
        var length: Int { tokens.count }
        var byteCount: Int { tokens.count * bytesPerToken }
    }

    /// A failure the decoder reports for prompts that start with `failingToken`.
    struct Failure: Error, Equatable {}

    let vocabularySize: Int
    let maximumSequenceLength: Int
    let bytesPerToken: Int
    /// Prompts starting with this token fail in prefill.
    let failingToken: UInt32?
    let recorder: DecoderRecorder

    init(
        vocabularySize: Int = 32, maximumSequenceLength: Int = 64, bytesPerToken: Int = 100, failingToken: UInt32? = nil,
        recorder: DecoderRecorder = DecoderRecorder()
    ) {
        self.vocabularySize = vocabularySize
        self.maximumSequenceLength = maximumSequenceLength
        self.bytesPerToken = bytesPerToken
        self.failingToken = failingToken
        self.recorder = recorder
    }

    /// The logits that follow `tokens`.
    static func logits(after tokens: [UInt32], vocabularySize: Int) -> [Float] {
        let favourite = Int(tokens.last! + 1) % vocabularySize
        let offset = tokens.count * 13 + Int(tokens.first!) * 3
        return (0..<vocabularySize).map { (token: Int) -> Float in
            if token == favourite { return 4 }
            return Float(sin(Double(token * 7 + offset)))
        }
    }

    func cacheBytes(forTokens tokens: Int) -> Int { tokens * bytesPerToken }

    func prefill(_ prompt: [UInt32], allPositions: Bool) throws -> (cache: Cache, logits: Tensor) {
        recorder.record(.prefill(prompt))
        if let failingToken, prompt.first == failingToken { throw Failure() }
        let ends = allPositions ? Array(1...prompt.count) : [prompt.count]
        let storage = ends.flatMap { Self.logits(after: Array(prompt[..<$0]), vocabularySize: vocabularySize) }
        return (Cache(tokens: prompt, bytesPerToken: bytesPerToken), try Tensor(shape: [ends.count, vocabularySize], storage: storage))
    }

    func decode(_ caches: inout [Cache], tokens: [UInt32]) throws -> Tensor {
        recorder.record(.decode(caches.map { $0.tokens[0] }))
        var storage = [Float]()
        for index in caches.indices {
            precondition(caches[index].length < maximumSequenceLength, "the engine decoded past the maximum sequence length")
            caches[index].tokens.append(tokens[index])
            storage += Self.logits(after: caches[index].tokens, vocabularySize: vocabularySize)
        }
        return try Tensor(shape: [caches.count, vocabularySize], storage: storage)
    }
}

/// What the fake decoder was asked to do, in order, with a way to hold the engine's thread at a
/// chosen call so a test can act while the engine is at a known point.
final class DecoderRecorder: Sendable {
    enum Event: Equatable, Sendable {
        /// A prefill of this prompt.
        case prefill([UInt32])
        /// A decode step over sequences named by their first prompt token.
        case decode([UInt32])
    }

    private struct State {
        var events: [Event] = []
        var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
        /// The index of the event at which the engine's thread stops until `resume`.
        var pauseAt: Int?
    }

    private let state = Mutex(State())
    private let released = DispatchSemaphore(value: 0)

    var events: [Event] { state.withLock { $0.events } }

    /// Holds the engine's thread when it records event number `index` (from 0).
    func pause(atEvent index: Int) {
        state.withLock { $0.pauseAt = index }
    }

    /// Lets a held engine thread go on.
    func resume() {
        released.signal()
    }

    /// Returns once `count` events have been recorded.
    func waitForEvents(_ count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let reached = state.withLock { state in
                if state.events.count >= count { return true }
                state.waiters.append((count, continuation))
                return false
            }
            if reached { continuation.resume() }
        }
    }

    /// Called by the decoder on the engine's thread.
    func record(_ event: Event) {
        let (ready, pause) = state.withLock { state in
            state.events.append(event)
            let ready = state.waiters.filter { $0.count <= state.events.count }.map(\.continuation)
            state.waiters.removeAll { $0.count <= state.events.count }
            return (ready, state.pauseAt == state.events.count - 1)
        }
        for continuation in ready { continuation.resume() }
        if pause { released.wait() }
    }
}

/// Everything a request's stream yields, collected.
struct Collected: Equatable {
    var promptLogprobs: [TokenLogprob?]?
    var tokens: [UInt32] = []
    var logprobs: [TokenLogprob?] = []
    var finish: FinishReason?

    init(_ stream: AsyncThrowingStream<GenerationEvent, any Error>) async throws {
        for try await event in stream {
            switch event {
            case .promptLogprobs(let entries): promptLogprobs = entries
            case .token(let token, let logprob):
                tokens.append(token)
                logprobs.append(logprob)
            case .finished(let reason): finish = reason
            }
        }
    }
}
