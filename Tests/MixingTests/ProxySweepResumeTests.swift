import Execution
import FactoryCore
import Foundation
import Shards
import Synchronization
import Testing
import Tokenization

@testable import Mixing

/// An interrupted sweep, restarted, runs only the proxies that had not finished.
@Suite struct ProxySweepResumeTests {
    /// Passes the first `limit` jobs to a real executor, then fails as a killed sweep would;
    /// records every job it was handed.
    final class InterruptingExecutor: Executor, @unchecked Sendable {
        let limit: Int
        let submitted = Mutex<[String]>([])
        init(limit: Int) { self.limit = limit }

        func run(_ jobs: [Job], onFinish: @escaping @Sendable (JobOutcome) -> Void) throws -> [JobOutcome] {
            submitted.withLock { $0 += jobs.map(\.name) }
            let outcomes = try LocalExecutor(workers: 2).run(Array(jobs.prefix(limit)), onFinish: onFinish)
            guard jobs.count <= limit else { throw FactoryError.io(path: "sweep", operation: "run", reason: "interrupted") }
            return outcomes
        }
    }

    @Test func restartedSweepRunsOnlyTheRemainingProxies() throws {
        let directory = NSTemporaryDirectory() + "factory-sweep-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.makeCorpus(in: directory)
        let mixtures = try [["a": 1.0, "b": 0], ["a": 0.5, "b": 0.5], ["a": 0.2, "b": 0.8], ["a": 0, "b": 1]].map {
            try Mixture($0)
        }
        let sweep = ProxySweep(
            directory: directory + "/sweep", baseRunFile: directory + "/proxy.toml", mixtures: mixtures,
            factory: try Self.factoryExecutable(), store: directory + "/store", threadsPerRun: 1)

        let first = InterruptingExecutor(limit: 2)
        #expect(throws: FactoryError.self) { try sweep.run(executor: first) }
        #expect(first.submitted.withLock { $0 } == ["run-1", "run-2", "run-3", "run-4"])
        #expect(sweep.pendingRuns() == [2, 3], "logs: \(Self.logs(of: sweep))")
        let finishedEarlier =
            try FileManager.default.attributesOfItem(atPath: directory + "/sweep/run-001/final_metrics.json")[.modificationDate] as? Date

        let second = InterruptingExecutor(limit: 10)
        try sweep.run(executor: second)
        #expect(second.submitted.withLock { $0 } == ["run-3", "run-4"])
        #expect(sweep.pendingRuns().isEmpty)
        let finishedLater =
            try FileManager.default.attributesOfItem(atPath: directory + "/sweep/run-001/final_metrics.json")[.modificationDate] as? Date
        #expect(finishedEarlier == finishedLater)

        let metrics = try sweep.collect()
        #expect(metrics.index == ["1", "2", "3", "4"])
        let losses = try metrics.column("eval/loss", source: "metrics.csv")
        #expect(losses.allSatisfy { $0.isFinite && $0 > 0 })
        // Preparing the folder for other mixtures is refused rather than mixing results.
        let other = ProxySweep(
            directory: directory + "/sweep", baseRunFile: directory + "/proxy.toml", mixtures: Array(mixtures.prefix(2)),
            factory: sweep.factory, store: sweep.store, threadsPerRun: 1)
        #expect { try other.prepare() } throws: { error in
            guard case .config(let file, let keyPath, _, let message) = error as? FactoryError else { return false }
            return file == directory + "/sweep/mixtures.csv" && keyPath == "" && message.contains("prepared for other mixtures")
        }
    }

    /// The proxies' train.log files, for failure messages.
    static func logs(of sweep: ProxySweep) -> String {
        sweep.mixtures.indices.map { index in
            let path = sweep.directory + String(format: "/run-%03d/train.log", index + 1)
            return "run-\(index + 1): " + ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "(no log)")
        }.joined(separator: "\n")
    }

    /// Two tiny domains, a 300-token tokenizer, shards, a tiny model config and a 3-step proxy run file.
    static func makeCorpus(in directory: String) throws {
        let fileManager = FileManager.default
        for folder in ["train", "validation"] {
            try fileManager.createDirectory(atPath: directory + "/shards/" + folder, withIntermediateDirectories: true)
        }
        let texts = [
            "a": (0..<200).map { "number \($0) is followed by \($0 + 1)." },
            "b": (0..<200).map { ["the cat sat on the mat", "a dog ran in the fog"][$0 % 2] + " \($0 % 5)." },
        ]
        var trainer = try BPETrainer(options: .init(vocabularySize: 300))
        for text in texts.values.flatMap({ $0 }) { trainer.add(text) }
        let tokenizer = try trainer.train()
        try tokenizer.save(toPath: directory + "/tokenizer.json")
        for (domain, lines) in texts {
            for (folder, range) in [("train", 0..<180), ("validation", 180..<200)] {
                let builder = try TokenShardBuilder(tokenizer: tokenizer, domain: domain, directory: directory + "/shards/" + folder)
                for line in lines[range] { try builder.append(line) }
                _ = try builder.finish()
            }
        }
        try """
        {"model_type": "laguna", "vocab_size": \(tokenizer.vocabularySize), "hidden_size": 16, "intermediate_size": 32,
         "num_hidden_layers": 1, "num_attention_heads": 2, "num_key_value_heads": 1, "head_dim": 8,
         "mlp_layer_types": ["dense"], "initializer_range": 0.05}
        """.write(toFile: directory + "/config.json", atomically: true, encoding: .utf8)
        try """
        [model]
        config = "\(directory)/config.json"
        [data]
        train = "\(directory)/shards/train"
        validation = "\(directory)/shards/validation"
        tokenizer = "\(directory)/tokenizer.json"
        [optimizer]
        lr = 0.01
        [schedule]
        kind = "constant"
        [train]
        steps = 3
        batch = 2
        sequence_length = 8
        eval_every = 3
        eval_sequences = 2
        output = "unused"
        """.write(toFile: directory + "/proxy.toml", atomically: true, encoding: .utf8)
    }

    /// The `factory` executable built next to the test bundle (`FACTORY_BINARY` overrides).
    static func factoryExecutable() throws -> String {
        if let configured = ProcessInfo.processInfo.environment["FACTORY_BINARY"] { return configured }
        let testBinary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var directory = URL(fileURLWithPath: testBinary).deletingLastPathComponent()
        for _ in 0..<5 {
            let candidate = directory.appendingPathComponent("factory").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        throw FactoryError.fileNotFound(path: "factory executable near \(testBinary) (build it, or set FACTORY_BINARY)")
    }
}
