import ArgumentParser
import FactoryCore
import Foundation
import Models
import Tensors
import Training

/// `factory bench replica`: step time of data-parallel replicas on random tokens, the share of
/// it the weight-hash checks take, and the optimizer's and Muon orthogonalization's part (what
/// `bench/integrity.sh` compares across check intervals and sharded versus unsharded Muon).
struct ReplicaBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replica",
        abstract: "Measure replicated training: step time, hash-check overhead and the optimizer's share.")

    @Option(help: "A preset.")
    var preset = LagunaPreset.tiny

    @Option(help: "Vocabulary size.")
    var vocabSize = 8192

    @Option(help: "Replicas (threads).")
    var replicas = 2

    @Option(help: "Sequences per replica and step.")
    var batch = 4

    @Option(help: "Tokens per sequence.")
    var sequenceLength = 128

    @Option(help: "Steps (the first two are not timed; the last one gets a SHA-256 check, not counted).")
    var steps = 20

    @Option(help: "Steps between fast hash checks, or 'off'.")
    var checkEvery = "10"

    /// The optimizers the benchmark can step.
    enum Optimizer: String, CaseIterable, ExpressibleByArgument { case adamw, muon }

    @Option(help: "The optimizer.")
    var optimizer = Optimizer.muon

    @Flag(help: "Every replica orthogonalizes every Muon matrix (default: each its share).")
    var unshardedMuon = false

    @Option(help: "Threads in all (default: all cores), split among the replicas.")
    var threads = HostInfo.activeCores

    func run() throws {
        let interval: Int?
        if checkEvery == "off" {
            interval = nil
        } else if let value = Int(checkEvery), value > 0 {
            interval = value
        } else {
            throw ValidationError("--check-every must be a positive step count or 'off', got '\(checkEvery)'")
        }
        try BenchmarkSizeCheck.require(positive: [
            ("--vocab-size", vocabSize), ("--replicas", replicas), ("--batch", batch), ("--sequence-length", sequenceLength),
            ("--steps", steps), ("--threads", threads),
        ])
        let config = try preset.config(vocabSize: vocabSize)
        try BenchmarkSizeCheck.requireMemory(config, batch: batch, sequenceLength: sequenceLength, replicas: replicas)
        let result = try ReplicationBenchmark.measure(
            config, replicas: replicas, batch: batch, time: sequenceLength, steps: steps, checkEvery: interval,
            muon: optimizer == .muon, shardMuon: !unshardedMuon, pool: ThreadPool(threadCount: max(threads / replicas, 1)))
        print("steps: \(result.steps)")
        print("seconds_per_step: \(String(format: "%.5f", result.secondsPerStep))")
        print("fast_checks: \(result.fastChecks)")
        print("seconds_per_fast_check: \(String(format: "%.5f", result.secondsPerFastCheck))")
        print("fast_check_share: \(String(format: "%.5f", result.fastCheckShare))")
        print("optimizer_seconds_per_step: \(String(format: "%.5f", result.optimizerSecondsPerStep))")
        print("orthogonalize_seconds_per_step: \(String(format: "%.5f", result.orthogonalizeSecondsPerStep))")
    }
}
