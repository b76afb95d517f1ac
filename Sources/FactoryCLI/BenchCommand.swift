import ArgumentParser

/// `factory bench …`: the measurements the scripts in `bench/` compare with reference
/// implementations, kept out of the everyday command list.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure throughput for bench/ (training, replicas, lineage store, tokenizer, inference, KV cache).",
        subcommands: [
            TrainBenchCommand.self, ReplicaBenchCommand.self, LineageBenchCommand.self, TokenizerBenchCommand.self,
            InferenceBenchCommand.self, KVCacheBenchCommand.self,
        ])
}
