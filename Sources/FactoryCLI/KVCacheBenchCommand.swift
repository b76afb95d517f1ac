import ArgumentParser
import FactoryCore
import Foundation
import Inference
import Models
import Shards
import Tensors

/// `factory bench kv-cache`: the quality cost of a reduced-precision KV cache. Validation text is
/// cut into sequences that are fed one token per decode step (so every prediction reads the
/// cache), once with an fp32 cache and once with the cache under test; it reports how often the
/// next-token argmax agrees and the rise of the next-token loss.
struct KVCacheBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kv-cache", abstract: "Measure next-token agreement and loss of an fp8 or bf16 KV cache against fp32.")

    @Option(help: "A checkpoint folder (config.json, model.safetensors).")
    var model: String

    @Option(help: "A validation token shard (repeatable); documents are read in order.")
    var shard: [String]

    @Option(help: "Positions to score in all.")
    var tokens = 8192

    @Option(help: "Tokens per sequence (longer than the sliding window exercises the rings).")
    var sequenceLength = 512

    @Option(help: "Sequences decoded together in one step.")
    var batch = 16

    @Option(help: "The cache storage to compare with fp32: fp8 or bf16.")
    var storage = KVCacheStorage.fp8

    @Option(help: "Threads (default: all cores).")
    var threads = HostInfo.activeCores

    func validate() throws {
        guard storage != .fp32 else { throw ValidationError("--storage must be fp8 or bf16, got fp32") }
        guard sequenceLength >= 2, tokens >= 1, batch >= 1 else {
            throw ValidationError("--sequence-length must be at least 2, --tokens and --batch at least 1")
        }
        try ThreadsOption.validate(threads)
    }

    func run() throws {
        let checkpoint = try LagunaCheckpoint.read(directory: model)
        let sequences = try Self.sequences(shards: shard, length: sequenceLength, positions: tokens)
        let pool = ThreadPool(threadCount: threads)
        let reference = try LagunaDecoder(model: checkpoint.model, cacheStorage: .fp32, pool: pool)
        let candidate = try LagunaDecoder(model: checkpoint.model, cacheStorage: storage, pool: pool)
        var (agreeing, scored) = (0, 0)
        var (referenceLoss, candidateLoss) = (0.0, 0.0)
        var cacheBytes = (reference: 0, candidate: 0)
        for start in stride(from: 0, to: sequences.count, by: batch) {
            let group = Array(sequences[start..<min(start + batch, sequences.count)])
            // Both caches see the same tokens; each position's two predictions are scored at once.
            let firstPrefills = try group.map { try reference.prefill([$0[0]], allPositions: false) }
            let secondPrefills = try group.map { try candidate.prefill([$0[0]], allPositions: false) }
            var (firstCaches, secondCaches) = (firstPrefills.map(\.cache), secondPrefills.map(\.cache))
            let shape = [group.count, reference.vocabularySize]
            var firstLogits = try Tensor(shape: shape, storage: firstPrefills.flatMap(\.logits.storage))
            var secondLogits = try Tensor(shape: shape, storage: secondPrefills.flatMap(\.logits.storage))
            for position in 1..<sequenceLength {
                let width = firstLogits.shape[1]
                for row in group.indices {
                    let a = firstLogits.storage[row * width..<(row + 1) * width]
                    let b = secondLogits.storage[row * width..<(row + 1) * width]
                    if Self.argmax(a) == Self.argmax(b) { agreeing += 1 }
                    let target = Int(group[row][position])
                    referenceLoss += Self.negativeLogLikelihood(a, target)
                    candidateLoss += Self.negativeLogLikelihood(b, target)
                    scored += 1
                }
                guard position < sequenceLength - 1 else { break }
                let next = group.map { $0[position] }
                firstLogits = try reference.decode(&firstCaches, tokens: next)
                secondLogits = try candidate.decode(&secondCaches, tokens: next)
            }
            cacheBytes = (firstCaches.map(\.byteCount).max()!, secondCaches.map(\.byteCount).max()!)
        }
        let (meanReference, meanCandidate) = (referenceLoss / Double(scored), candidateLoss / Double(scored))
        print("positions: \(scored) in \(sequences.count) sequences of \(sequenceLength) tokens")
        print("storage: \(storage.rawValue)")
        print("argmax_agreement: \(String(format: "%.4f", Double(agreeing) / Double(scored)))")
        print("loss_fp32: \(String(format: "%.5f", meanReference))")
        print("loss_\(storage.rawValue): \(String(format: "%.5f", meanCandidate))")
        print("loss_rise_percent: \(String(format: "%.3f", (meanCandidate - meanReference) / meanReference * 100))")
        print("cache_bytes_per_sequence_fp32: \(cacheBytes.reference)")
        print("cache_bytes_per_sequence_\(storage.rawValue): \(cacheBytes.candidate)")
        let perToken = { (decoder: LagunaDecoder) in
            Double(decoder.cacheBytes(forTokens: 4096) - decoder.cacheBytes(forTokens: 2048)) / 2048
        }
        print("marginal_kv_bytes_per_token_ratio: \(String(format: "%.4f", perToken(candidate) / perToken(reference)))")
    }

    /// Sequences of exactly `length` tokens cut from the shards' documents in order, as many as
    /// fit in `positions` tokens.
    static func sequences(shards: [String], length: Int, positions: Int) throws -> [[UInt32]] {
        var stream: [UInt32] = []
        for path in shards where stream.count < positions {
            let shard = try TokenShard.read(path: path)
            for index in 0..<shard.documentCount where stream.count < positions {
                stream.append(contentsOf: shard.document(index))
            }
        }
        let count = min(stream.count, positions) / length
        guard count > 0 else {
            throw FactoryError.invalidArgument(name: "--shard", message: "the shards hold fewer than \(length) tokens")
        }
        return (0..<count).map { Array(stream[$0 * length..<($0 + 1) * length]) }
    }

    static func argmax(_ values: ArraySlice<Float>) -> Int {
        var best = values.startIndex
        for index in values.indices where values[index] > values[best] { best = index }
        return best - values.startIndex
    }

    /// `-log softmax(logits)[target]` in double precision.
    static func negativeLogLikelihood(_ logits: ArraySlice<Float>, _ target: Int) -> Double {
        let maximum = Double(logits.max() ?? 0)
        let sum = logits.reduce(0.0) { $0 + exp(Double($1) - maximum) }
        return maximum + log(sum) - Double(logits[logits.startIndex + target])
    }
}
