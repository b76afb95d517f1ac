import FactoryCore
import Foundation
import Lineage
import Testing

@testable import Models
@testable import Runs
@testable import Training

/// `factory train` with `train.replicas`: the run file's keys, and a replicated run recording
/// what the single-process run records, plus its integrity events.
@Suite struct TrainingRunTests {
    /// A run file for the fixture's model and shards with `extra` lines appended to `[train]`.
    static func runFile(_ fixture: TrainingFixture, name: String, extra: String) throws -> String {
        let configPath = fixture.directory + "/config.json"
        try fixture.modelConfig.huggingFaceJSON().write(to: URL(fileURLWithPath: configPath))
        let path = fixture.directory + "/\(name).toml"
        let text = """
            [model]
            config = "\(configPath)"
            [data]
            train = "\(fixture.directory)/train"
            validation = "\(fixture.directory)/validation"
            tokenizer = "\(fixture.tokenizerPath)"
            [optimizer]
            name = "muon"
            lr = 1e-2
            [schedule]
            kind = "cosine"
            warmup = 1
            [train]
            steps = 4
            batch = 2
            sequence_length = 16
            seed = 3
            log_every = 1
            eval_every = 2
            eval_sequences = 4
            checkpoint_every = 2
            threads = 2
            output = "\(fixture.directory)/runs/\(name)"
            \(extra)
            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func files(_ folder: String) -> [String: Data] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return Dictionary(uniqueKeysWithValues: names.map { ($0, FileManager.default.contents(atPath: folder + "/" + $0) ?? Data()) })
    }

    /// The deterministic metrics of a run (everything but the timing ones), by key and step.
    static func metrics(_ store: FactoryStore, run: String) throws -> [String: [Int64: Double]] {
        var result = [String: [Int64: Double]]()
        for point in try store.records.finalMetrics(run: run)
        where !["train/tokens_per_second", "train/optimizer_fraction"].contains(point.key) {
            result[point.key] = Dictionary(uniqueKeysWithValues: try store.records.metricSeries(run: run, key: point.key).map { ($0.step, $0.value) })
        }
        return result
    }

    @Test func twoReplicasRecordWhatOneRecordsAndADrillShowsInTheEvents() throws {
        let fixture = try TrainingFixture()
        let store = try FactoryStore.open(root: fixture.directory + "/store")
        let single = try TrainingRun.execute(
            runFile: try Self.runFile(fixture, name: "single", extra: "accumulation = 2"), store: store, resume: false, progress: false)
        let replicated = try TrainingRun.execute(
            runFile: try Self.runFile(fixture, name: "replicated", extra: "replicas = 2\ncheck_every = 1"), store: store, resume: false,
            progress: false)
        let drill = try TrainingRun.execute(
            runFile: try Self.runFile(
                fixture, name: "drill",
                extra: """
                    replicas = 2
                    check_every = 1
                    [[train.inject_fault]]
                    replica = 1
                    step = 3
                    tensor = "model.layers.1.mlp.down_proj.weight"
                    bit = 27
                    """),
            store: store, resume: false, progress: false,
            injections: [FaultInjection(replica: 0, step: 1, tensor: "adamw.v/lm_head.weight", element: 2, bit: 29, target: .optimizer)])
        let runs = fixture.directory + "/runs/"
        for folder in ["checkpoints/step-0000002", "final"] {
            let expected = Self.files(runs + "single/" + folder)
            #expect(
                expected.keys.sorted() == [
                    "config.json", "factory.json", "generation_config.json", "model.safetensors", "tokenizer.json",
                    "tokenizer_config.json", "trainer_state.safetensors",
                ])
            #expect(Self.files(runs + "replicated/" + folder) == expected, "\(folder)")
            #expect(Self.files(runs + "drill/" + folder) == expected, "\(folder)")
        }
        let finalMetrics = FileManager.default.contents(atPath: runs + "single/" + TrainingRun.finalMetricsFileName)
        #expect(finalMetrics != nil)
        #expect(FileManager.default.contents(atPath: runs + "replicated/" + TrainingRun.finalMetricsFileName) == finalMetrics)
        #expect(FileManager.default.contents(atPath: runs + "drill/" + TrainingRun.finalMetricsFileName) == finalMetrics)
        let metrics = try Self.metrics(store, run: single)
        #expect(metrics["train/loss"]?.count == 4 && metrics["eval/loss"]?.count == 2)
        #expect(try Self.metrics(store, run: replicated) == metrics)
        #expect(try Self.metrics(store, run: drill) == metrics)
        #expect(try store.records.metricSeries(run: drill, key: "train/tokens_per_second").count == 4)
        #expect(try store.records.events(ofRun: replicated).isEmpty)
        let events = try store.records.events(ofRun: drill)
        #expect(events.map(\.kind) == [.integrityFault, .rollback, .warning, .integrityFault, .rollback, .warning])
        #expect(events.map(\.step) == [1, 0, 1, 3, 2, 3])
        #expect(events[0].details["tensors"] == "adamw.v/lm_head.weight")
        #expect(events[3].details["tensors"] == "weights/model.layers.1.mlp.down_proj.weight")
        #expect(events[2].details["odd_replicas"] == "0")
        #expect(events[5].details["odd_replicas"] == "1")
        #expect(try store.records.run(drill)?.status == .finished)
    }

    @Test func badReplicaKeysNameTheFileAndKey() throws {
        let fixture = try TrainingFixture()
        let store = try FactoryStore.open(root: fixture.directory + "/store")
        let fault = "[[train.inject_fault]]\nreplica = 1\nstep = 2\nbit = 3\n"
        for (extra, key, message) in [
            (
                "replicas = 3\naccumulation = 2", "train.accumulation",
                "2 micro-batches per step cannot be shared by 3 replicas (make it a multiple of train.replicas)"
            ),
            ("replicas = 0", "train.replicas", "must be positive, got 0"),
            ("replicas = 2\ncheck_every = 0", "train.check_every", "must be positive, got 0"),
            (
                fault + "tensor = \"model.norm.weight\"", "train.inject_fault[0]",
                "fault injection needs train.replicas > 1 (a single replica has nothing to compare with)"
            ),
            (
                "replicas = 2\n" + fault + "tensor = \"model.norm.weight\"\ntarget = \"cache\"", "train.inject_fault[0].target",
                "unknown target 'cache' (known: weights, gradient, optimizer)"
            ),
            (
                "replicas = 2\n" + fault + "tensor = \"model.norm.weight\"\nelement = 99", "train.inject_fault[0].element",
                "99 is outside model.norm.weight's 32 elements"
            ),
            ("replicas = 2\n" + fault + "tensor = \"nope\"", "train.inject_fault[0].tensor", "'nope' is not a tensor of this model"),
        ] {
            let path = try Self.runFile(fixture, name: "bad", extra: extra)
            #expect(throws: FactoryError.config(file: path, keyPath: key, line: nil, message: message)) {
                try TrainingRun.execute(runFile: path, store: store, resume: false, progress: false)
            }
        }
        let path = try Self.runFile(fixture, name: "bad", extra: "replicas = 2\n" + fault + "tensor = \"a\"\ncolour = 1")
        #expect { try TrainingRun.execute(runFile: path, store: store, resume: false, progress: false) } throws: { error in
            guard case .config(let file, let keyPath, _, let message) = error as? FactoryError else { return false }
            return file == path && keyPath == "train.inject_fault[0].colour"
                && message.contains("unknown key (known keys here: bit, element, replica, step, target, tensor)")
        }
        let single = try Self.runFile(fixture, name: "single", extra: "")
        #expect(
            throws: FactoryError.invalidArgument(
                name: "--inject-fault", message: "needs train.replicas > 1 in \(single) (a single replica has nothing to compare with)")
        ) {
            try TrainingRun.execute(
                runFile: single, store: store, resume: false, progress: false,
                injections: [FaultInjection(replica: 0, step: 1, tensor: "model.norm.weight", bit: 0)])
        }
    }
}
