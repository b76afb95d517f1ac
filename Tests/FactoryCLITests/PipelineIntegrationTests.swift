import FactoryCore
import Foundation
import Lineage
import Pipeline
import Testing

/// Every stage kind on a toy corpus, as `factory run` runs them: the in-process stages through
/// the library, the training runs (swarm proxies, the final run) through the `factory`
/// executable SwiftPM built next to the test bundle. A second run skips every stage.
@Suite(.serialized) struct PipelineIntegrationTests {
    static var factory: String { FactoryExecutable.path }

    /// Writes the toy corpus, its configs and the pipeline under `root`; returns the pipeline file.
    static func writeToyPipeline(root: String) throws -> String {
        try FilePath.createFolder(root)
        func write(_ relative: String, _ text: String) throws {
            try AtomicFile.write(Data(text.utf8), toPath: root + "/" + relative)
        }
        let words = ["river", "stone", "garden", "window", "lantern", "harbor", "meadow", "candle", "bridge", "forest", "letter", "market"]
        var prose = ""
        var code = ""
        for index in 0..<90 {
            let pick = { (offset: Int) in words[(index * 7 + offset * 5) % words.count] }
            let sentence = "The \(pick(0)) near the \(pick(1)) was quiet, and the \(pick(2)) kept its \(pick(3)) until morning number \(index)."
            prose += "{\"id\":\"p\(index)\",\"text\":\"\(sentence) \(sentence.uppercased().lowercased()) Another \(pick(4)) followed.\"}\n"
            let function =
                "func \(pick(0))\(index)(x: Int) -> Int {\\n    let \(pick(1)) = x * \(index)\\n    return \(pick(1)) + \(index % 7)\\n}\\n"
            code += "{\"id\":\"c\(index)\",\"text\":\"\(function)\"}\n"
        }
        try write("prose.jsonl", prose)
        try write("code.jsonl", code)
        try write(
            "corpus.toml",
            """
            [split]
            validation_fraction = 0.2

            [[sources]]
            name = "stories"
            domain = "prose"
            kind = "jsonl"
            path = "\(root)/prose.jsonl"
            license = "CC0-1.0"

            [[sources]]
            name = "snippets"
            domain = "code"
            kind = "jsonl"
            path = "\(root)/code.jsonl"
            license = "CC0-1.0"

            [[sources]]
            name = "math"
            domain = "math"
            kind = "synthetic-math"
            count = 90
            seed = 1
            """)
        try write(
            "curate.toml",
            """
            seed = 1
            [features]
            dimension_bits = 12
            word_ngrams = [1]
            character_ngrams = [3]
            [training]
            max_iterations = 30
            [noise]
            documents_per_source = 30
            [information]
            positive_sources = ["stories"]
            negative_sources = ["snippets"]
            documents_per_source = 30
            [dedup]
            enabled = true
            [selection]
            levels = 2
            keep_fractions = [0.8, 1.0]
            """)
        try write("tasks.toml", "suites = [\"math\"]\ndocuments = 5\n")
        let steps = "schedule = { kind = \"cosine\", warmup = 1 }\noptimizer = { lr = 3e-3 }"
        try write(
            "toy.toml",
            """
            name = "toy"
            workspace = "\(root)/work"
            [stages.corpus]
            kind = "corpus"
            config = "\(root)/corpus.toml"
            [stages.quality]
            kind = "quality"
            inputs = { corpus = "corpus" }
            config = "\(root)/curate.toml"
            [stages.curate]
            kind = "curate"
            inputs = { corpus = "corpus", quality = "quality" }
            config = "\(root)/curate.toml"
            [stages.tokenizer]
            kind = "tokenizer"
            inputs = { documents = "curate" }
            vocab_size = 300
            [stages.shards]
            kind = "shards"
            inputs = { documents = "curate", tokenizer = "tokenizer" }
            [stages.swarm]
            kind = "swarm"
            inputs = { shards = "shards", tokenizer = "tokenizer" }
            swarm = { count = 6, seed = 0, max_epochs = 1000.0 }
            sweep = { workers = 2, threads = 1 }
            [stages.swarm.proxy]
            model = { preset = "laguna-proxy" }
            \(steps)
            train = { steps = 2, batch = 2, sequence_length = 16, seed = 0, eval_every = 2, eval_sequences = 2, log_every = 1 }
            [stages.mix]
            kind = "mix"
            inputs = { swarm = "swarm" }
            propose = { surrogate = "linear", check = false }
            [stages.train]
            kind = "train"
            inputs = { shards = "shards", tokenizer = "tokenizer", mixture = "mix" }
            [stages.train.run]
            model = { preset = "laguna-proxy" }
            \(steps)
            train = { steps = 3, batch = 2, sequence_length = 16, seed = 0, eval_every = 3, eval_sequences = 2, log_every = 1 }
            [stages.tasks]
            kind = "tasks"
            inputs = { corpus = "corpus", shards = "shards", tokenizer = "tokenizer" }
            config = "\(root)/tasks.toml"
            [stages.eval]
            kind = "eval"
            inputs = { model = "train", shards = "shards" }
            sequence_length = 16
            batch = 2
            max_sequences = 2
            [stages.report]
            kind = "report"
            inputs = { corpus = "corpus", curate = "curate", shards = "shards", swarm = "swarm", mix = "mix", train = "train", eval = "eval" }
            """)
        return root + "/toy.toml"
    }

    @Test func everyStageKindRunsOnAToyCorpusAndASecondRunSkipsThemAll() throws {
        let root = NSTemporaryDirectory() + "factory-pipeline-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let definition = try PipelineDefinition.load(path: try Self.writeToyPipeline(root: root))
        #expect(Set(definition.stages.map(\.kind)) == Set(StageKinds.names))
        let store = try FactoryStore.open(root: root + "/store")
        let runner = PipelineRunner(
            pipeline: definition, store: store, factory: Self.factory, code: try PipelineRunner.codeDigest(ofExecutable: Self.factory), echo: false)

        let first = try runner.run { _ in }
        let failures = first.compactMap { result in result.failure.map { "\(result.stage.name): \($0)" } }
        #expect(failures.isEmpty, "\(failures)")
        let folders = Dictionary(uniqueKeysWithValues: first.compactMap { result in result.output.map { (result.stage.name, $0.folder) } })
        #expect(folders.count == definition.stages.count)
        for (stage, file) in [
            ("corpus", "manifest.json"), ("quality", "noise.json"), ("quality", "information.json"), ("curate", "curation.json"),
            ("tokenizer", "tokenizer.json"), ("shards", "train/math.manifest.json"), ("shards", "validation/prose.manifest.json"),
            ("swarm", "swarm/metrics.csv"), ("mix", "proposed.toml"), ("train", "run/final/model.safetensors"),
            ("eval", "eval.json"), ("report", "report.html"), ("report", "report.md"), ("tasks", "tasks/math-exact.jsonl"),
            ("tasks", "contamination.json"),
        ] {
            let path = (folders[stage] ?? "?") + "/" + file
            #expect(FileManager.default.fileExists(atPath: path), "\(stage) did not write \(file)")
        }
        // The in-process stages record the runs the commands record.
        let kinds = try store.records.runs(RunQuery()).filter { $0.status == .finished }.map(\.kind)
        for (kind, count) in [
            ("corpus-build", 1), ("curate-quality-train", 1), ("curate-run", 1), ("tokenizer-train", 1), ("shard-build", 2),
            ("train", 7), ("eval", 1),
        ] {
            #expect(kinds.filter { $0 == kind }.count == count, "\(kind) runs")
        }

        let second = try runner.run { _ in }
        #expect(second.allSatisfy { if case .skip = $0.decision { true } else { false } }, "\(second.map { ($0.stage.name, $0.decision.action) })")

        // The executable agrees: nothing to do.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.factory)
        process.arguments = ["run", root + "/toy.toml", "--dry-run", "--store", root + "/store"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(output.contains("nothing to do"), "\(output)")
    }
}
