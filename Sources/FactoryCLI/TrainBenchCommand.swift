import ArgumentParser
import FactoryCore
import Foundation
import Models
import Tensors
import Training

/// `factory bench train`: training tokens/s of a preset on random tokens, and its model FLOP
/// utilization against the measured GEMM rate (what `bench/training.sh` compares with PyTorch).
struct TrainBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Measure training tokens/s and model FLOP utilization of a model config.")

    @Option(help: "A preset.")
    var preset = LagunaPreset.tiny

    @Option(help: "Vocabulary size.")
    var vocabSize = 8192

    @Option(help: "Sequences per step.")
    var batch = 8

    @Option(help: "Tokens per sequence.")
    var sequenceLength = 128

    @Option(help: "Timed steps.")
    var steps = 10

    @Option(help: "Threads (default: all cores).")
    var threads = HostInfo.activeCores

    func run() throws {
        try BenchmarkSizeCheck.require(positive: [
            ("--vocab-size", vocabSize), ("--batch", batch), ("--sequence-length", sequenceLength), ("--steps", steps), ("--threads", threads),
        ])
        let config = try preset.config(vocabSize: vocabSize)
        try BenchmarkSizeCheck.requireMemory(config, batch: batch, sequenceLength: sequenceLength)
        let pool = ThreadPool(threadCount: threads)
        let result = try TrainingBenchmark.measure(config, batch: batch, time: sequenceLength, steps: steps, pool: pool)
        let peak = try GEMMBenchmark.measure(size: 1024, minimumSeconds: 1).gigaflops * 1e9
        print("tokens_per_second: \(String(format: "%.1f", result.tokensPerSecond))")
        print("seconds_per_step: \(String(format: "%.4f", result.secondsPerStep))")
        print("flops_per_token: \(String(format: "%.4g", result.flopsPerToken))")
        print("gemm_peak_gflops: \(String(format: "%.1f", peak / 1e9))")
        print("mfu: \(String(format: "%.3f", result.utilization(peakFlops: peak)))")
    }
}
