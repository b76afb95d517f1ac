import ArgumentParser
import FactoryCore
import Inference

extension KVCacheStorage: ExpressibleByArgument {}

/// The checkpoint and engine options `factory serve` and `factory generate` share.
struct EngineOptions: ParsableArguments {
    @Option(help: "Checkpoint folder (config.json, safetensors, tokenizer.json).")
    var model: String

    @Option(help: "KV cache storage.")
    var kvCache = KVCacheStorage.fp32

    @Option(help: "Most requests decoded together.")
    var maxBatch = 16

    @Option(help: "Most requests waiting for a slot (beyond: 429).")
    var maxQueue = 64

    @Option(help: "Most KV cache memory in MiB (default: max-batch sequences of the full length).")
    var maxCacheMib: Int?

    func validate() throws {
        guard maxBatch >= 1 else { throw ValidationError("--max-batch must be at least 1, got \(maxBatch)") }
        guard maxQueue >= 1 else { throw ValidationError("--max-queue must be at least 1, got \(maxQueue)") }
        if let maxCacheMib, !(1...(1 << 30)).contains(maxCacheMib) {
            throw ValidationError("--max-cache-mib must be between 1 and \(1 << 30), got \(maxCacheMib)")
        }
    }

    /// The folder and an engine over it.
    func load() throws -> (ModelFolder, any GenerationService) {
        let folder = try ModelFolder.read(directory: model)
        let decoder = try LagunaDecoder(model: folder.model, cacheStorage: kvCache)
        let cacheBytes =
            maxCacheMib.map { $0 << 20 } ?? decoder.cacheBytes(forTokens: decoder.maximumSequenceLength) * maxBatch
        let engine = try GenerationEngine(
            decoder: decoder, limits: SchedulerLimits(maxBatch: maxBatch, maxQueue: maxQueue, maxCacheBytes: cacheBytes))
        return (folder, engine)
    }
}
