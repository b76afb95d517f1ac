import ArgumentParser
import FactoryCore
import Foundation
import Inference
import Models
import Tensors

/// `factory bench inference`: prefill and greedy decode speed of `LagunaDecoder` on a checkpoint
/// (what `bench/inference.sh` compares with `transformers` `generate`). Prompts are fixed token
/// patterns (`(31·i + 17·b + 7) mod V` for position i of sequence b), the same the reference uses.
struct InferenceBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inference", abstract: "Measure prefill and decode tokens/s, time to first token and peak memory.")

    @Option(help: "A checkpoint folder (config.json, model.safetensors).")
    var model: String

    @Option(help: "Sequences decoded together.")
    var batch = 1

    @Option(help: "Prompt tokens per sequence.")
    var promptTokens = 128

    @Option(help: "Tokens generated per sequence.")
    var newTokens = 128

    @Option(help: "KV cache storage: fp32, bf16 or fp8.")
    var storage = KVCacheStorage.fp32

    @Option(help: "Threads (default: all cores).")
    var threads = HostInfo.activeCores

    func validate() throws {
        guard batch >= 1, promptTokens >= 1, newTokens >= 2 else {
            throw ValidationError("--batch and --prompt-tokens must be at least 1, --new-tokens at least 2")
        }
        try ThreadsOption.validate(threads)
    }

    func run() throws {
        let checkpoint = try LagunaCheckpoint.read(directory: model)
        let decoder = try LagunaDecoder(model: checkpoint.model, cacheStorage: storage, pool: ThreadPool(threadCount: threads))
        let vocabulary = decoder.vocabularySize
        let prompts = (0..<batch).map { b in (0..<promptTokens).map { UInt32((31 * $0 + 17 * b + 7) % vocabulary) } }

        let clock = ContinuousClock()
        var caches: [LagunaCache] = []
        var next: [UInt32] = []
        var firstTokenSeconds = 0.0
        let prefillStart = clock.now
        for prompt in prompts {
            let (cache, logits) = try decoder.prefill(prompt, allPositions: false)
            caches.append(cache)
            next.append(Self.argmax(logits.storage))
            if firstTokenSeconds == 0 { firstTokenSeconds = Self.seconds(clock.now - prefillStart) }
        }
        let prefillSeconds = Self.seconds(clock.now - prefillStart)
        let decodeStart = clock.now
        for _ in 1..<newTokens {
            let logits = try decoder.decode(&caches, tokens: next)
            let width = logits.shape[1]
            next = (0..<batch).map { Self.argmax(logits.storage[$0 * width..<($0 + 1) * width]) }
        }
        let decodeSeconds = Self.seconds(clock.now - decodeStart)
        print("batch: \(batch)")
        print("prefill_tokens_per_second: \(String(format: "%.1f", Double(batch * promptTokens) / prefillSeconds))")
        print("time_to_first_token_ms: \(String(format: "%.2f", firstTokenSeconds * 1000))")
        print("decode_tokens_per_second: \(String(format: "%.1f", Double(batch * (newTokens - 1)) / decodeSeconds))")
        print("kv_cache_bytes: \(caches.map(\.byteCount).reduce(0, +))")
        print("peak_rss_mib: \(String(format: "%.1f", Self.peakResidentMebibytes()))")
    }

    static func argmax(_ values: some Collection<Float>) -> UInt32 {
        var (best, bestValue, index) = (0, -Float.infinity, 0)
        for value in values {
            if value > bestValue { (best, bestValue) = (index, value) }
            index += 1
        }
        return UInt32(best)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    /// The process's peak resident set (`getrusage`: kilobytes on Linux, bytes on macOS).
    static func peakResidentMebibytes() -> Double {
        var usage = rusage()
        #if os(macOS)
            getrusage(RUSAGE_SELF, &usage)
            return Double(usage.ru_maxrss) / 1_048_576
        #else
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return Double(usage.ru_maxrss) / 1024
        #endif
    }
}
