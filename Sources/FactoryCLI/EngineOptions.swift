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

    /// The folder and an engine over it.
    func load() throws -> (ModelFolder, any GenerationService) {
        let folder = try ModelFolder.read(directory: model)
        let decoder = try LagunaDecoder(model: folder.model, cacheStorage: kvCache)
        let cacheBytes =
            maxCacheMib.map { $0 << 20 } ?? decoder.cacheBytes(forTokens: decoder.maximumSequenceLength) * max(maxBatch, 1)
        let engine = try GenerationEngine(
            decoder: decoder, limits: SchedulerLimits(maxBatch: maxBatch, maxQueue: maxQueue, maxCacheBytes: cacheBytes))
        return (folder, engine)
    }
}
