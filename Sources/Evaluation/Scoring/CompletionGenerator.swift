import FactoryCore
import Inference
import Tensors
import Tokenization

/// Text generation for exact-match and code tasks, on `LagunaDecoder`: each prompt is prefilled
/// once, its samples start from copies of its cache, and up to `batchSize` sequences advance
/// together in batched decode steps. The decoder is batch invariant and each sample has its own
/// `Sampler` (greedy, or seeded), so a sample's text depends only on its prompt and its sampling
/// parameters, never on the batch.
///
/// A sample ends at the first of: a stop token (not part of the text), a stop string (the text
/// ends before it, as in the OpenAI API), `maxTokens` generated tokens, or the model's
/// `max_position_embeddings`. A prompt is left-truncated to `max_position_embeddings −
/// maxTokens` tokens (at least 1), as lm-evaluation-harness truncates contexts for generation.
struct CompletionGenerator {
    let decoder: LagunaDecoder
    let tokenizer: Tokenizer
    /// Tokens that end a sample: the end of text.
    let stopTokens: Set<UInt32>
    let batchSize: Int

    /// One prompt and how to sample it.
    struct Prompt {
        let text: String
        /// One entry per sample wanted.
        let sampling: [SamplingParameters]
        let stops: [String]
        let maxTokens: Int
    }

    /// A sample being generated.
    private struct Stream {
        let maxTokens: Int
        var sampler: Sampler
        var detokenizer: IncrementalDetokenizer
        var matcher: StopStringMatcher
        var text = ""
        var generated = 0

        /// Takes the sampled `token`; returns whether the sample is finished.
        mutating func accept(_ token: UInt32, stopTokens: Set<UInt32>, cacheLength: Int, limit: Int) -> Bool {
            if stopTokens.contains(token) {
                flush()
                return true
            }
            generated += 1
            let (emit, stopped) = matcher.feed(detokenizer.append(token))
            text += emit
            if stopped { return true }
            if generated >= maxTokens || cacheLength >= limit {
                flush()
                return true
            }
            return false
        }

        private mutating func flush() {
            let (emit, stopped) = matcher.feed(detokenizer.finish())
            text += emit
            if !stopped { text += matcher.finish() }
        }
    }

    /// The samples' texts: for each prompt, one per entry of its `sampling`, in order.
    func generate(_ prompts: [Prompt]) throws -> [[String]] {
        let limit = decoder.maximumSequenceLength
        let tokens = prompts.map { prompt in
            Array(tokenizer.encode(prompt.text).suffix(max(1, limit - prompt.maxTokens)))
        }
        let samples = prompts.indices.flatMap { prompt in prompts[prompt].sampling.indices.map { (prompt, $0) } }
        var texts = prompts.map { [String](repeating: "", count: $0.sampling.count) }
        for start in stride(from: 0, to: samples.count, by: batchSize) {
            let group = samples[start..<min(start + batchSize, samples.count)]
            var streams = [Stream]()
            var caches = [LagunaCache]()
            var owners = [(prompt: Int, sample: Int)]()
            var next = [UInt32]()
            var prefilled: (prompt: Int, cache: LagunaCache, logits: Tensor)?
            for (prompt, sample) in group {
                if prefilled?.prompt != prompt {
                    let (cache, logits) = try decoder.prefill(tokens[prompt], allPositions: false)
                    prefilled = (prompt, cache, logits)
                }
                let source = prompts[prompt]
                var stream = Stream(
                    maxTokens: source.maxTokens,
                    sampler: Sampler(parameters: source.sampling[sample], context: tokens[prompt]),
                    detokenizer: IncrementalDetokenizer(tokenizer: tokenizer), matcher: StopStringMatcher(stops: source.stops))
                let token = prefilled!.logits.withUnsafeBufferPointer { stream.sampler.next(logits: $0) }
                if stream.accept(token, stopTokens: stopTokens, cacheLength: prefilled!.cache.length, limit: limit) {
                    texts[prompt][sample] = stream.text
                } else {
                    streams.append(stream)
                    caches.append(prefilled!.cache)
                    owners.append((prompt, sample))
                    next.append(token)
                }
            }
            while !streams.isEmpty {
                let logits = try decoder.decode(&caches, tokens: next)
                let vocabulary = logits.shape[1]
                var finished = [Int]()
                logits.withUnsafeBufferPointer { values in
                    for row in streams.indices {
                        let rowLogits = UnsafeBufferPointer(rebasing: values[(row * vocabulary)..<((row + 1) * vocabulary)])
                        next[row] = streams[row].sampler.next(logits: rowLogits)
                        if streams[row].accept(next[row], stopTokens: stopTokens, cacheLength: caches[row].length, limit: limit) {
                            finished.append(row)
                        }
                    }
                }
                for row in finished.reversed() {
                    texts[owners[row].prompt][owners[row].sample] = streams[row].text
                    streams.remove(at: row)
                    caches.remove(at: row)
                    owners.remove(at: row)
                    next.remove(at: row)
                }
            }
        }
        return texts
    }
}
