import FactoryCore
import Foundation
import Testing

@testable import Pipeline

@Suite struct PipelineDefinitionTests {
    static let text = """
        name = "t"
        [stages.tokenizer]
        kind = "tokenizer"
        inputs = { documents = "corpus" }
        vocab_size = 300
        [stages.corpus]
        kind = "corpus"
        config = "corpus.toml"
        [stages.shards]
        kind = "shards"
        inputs = { documents = "corpus", tokenizer = "tokenizer" }
        """

    @Test func ordersStagesAfterTheirInputs() throws {
        let pipeline = try PipelineDefinition(toml: Self.text, source: "p.toml")
        #expect(pipeline.stages.map(\.name) == ["corpus", "tokenizer", "shards"])
        #expect(pipeline.workspace == ".factory/pipelines/t")
        #expect(pipeline.dependents(of: "corpus") == ["tokenizer", "shards"])
        #expect(pipeline.dependents(of: "tokenizer") == ["shards"])
    }

    @Test(arguments: [
        ("[stages.a]\nkind = \"nope\"", "stages.a.kind", "unknown kind 'nope'"),
        ("[stages.a]\nkind = \"tokenizer\"\nvocab_size = 300", "stages.a.inputs.documents", "needs this input"),
        ("[stages.a]\nkind = \"tokenizer\"\ninputs = { documents = \"b\" }\nvocab_size = 300", "stages.a.inputs.documents", "no stage named 'b'"),
        ("[stages.a]\nkind = \"tokenizer\"\ninputs = { documents = \"a\" }\nvocab_size = 300", "stages", "form a cycle"),
        ("[stages.a]\nkind = \"corpus\"\nconfig = \"c.toml\"\ncolour = 1", "stages.a.colour", "unknown key"),
        (
            "[stages.a]\nkind = \"corpus\"\nconfig = \"c.toml\"\n[stages.b]\nkind = \"tokenizer\"\ninputs = { text = \"a\" }\nvocab_size = 300",
            "stages.b.inputs.text", "has no input 'text'"
        ),
        (
            "[stages.a]\nkind = \"train\"\ninputs = { shards = \"a\", tokenizer = \"a\" }\n[stages.a.run]\nmodel = { preset = \"laguna-tiny\" }\noptimizer = { lr = 1e-3 }\nschedule = { kind = \"constant\" }\ntrain = { steps = 1, batch = 1, sequence_length = 8, output = \"x\" }",
            "stages.a.run.train.output", "set by the pipeline"
        ),
        ("[stages.a]\nkind = \"tokenizer\"\ninputs = { documents = \"a\" }\nvocab_size = \"big\"", "stages.a.vocab_size", "expected an integer"),
    ])
    func rejectsBadStages(body: String, keyPath: String, message: String) {
        #expect {
            try PipelineDefinition(toml: "name = \"t\"\n" + body, source: "p.toml")
        } throws: { error in
            guard case .config(let file, let path, _, let text) = error as? FactoryError else { return false }
            return file == "p.toml" && path == keyPath && text.contains(message)
        }
    }

    static let proxy = """
        model = { preset = "laguna-tiny" }
        optimizer = { lr = 1e-3 }
        schedule = { kind = "constant" }
        train = { steps = 4, batch = 2, sequence_length = 8 }
        """

    /// Issue 17: a stage setting of -5 gave "Missing value for '--vocab-size'"; every setting of
    /// every kind is range-checked at load and named by the pipeline file and its full key.
    @Test(arguments: [
        (
            "[stages.a]\nkind = \"tokenizer\"\ninputs = { documents = \"a\" }\nvocab_size = -5", "stages.a.vocab_size",
            "must be between \(TokenizerStage.minimumVocabularySize) (256 byte tokens and the special tokens) and 4294967295, got -5"
        ),
        (
            "[stages.a]\nkind = \"tokenizer\"\ninputs = { documents = \"a\" }\nvocab_size = 300\nmin_pair_count = 0", "stages.a.min_pair_count",
            "must be at least 1, got 0"
        ),
        (
            "[stages.a]\nkind = \"corpus\"\nconfig = \"c.toml\"\nmax_docs_per_source = -1", "stages.a.max_docs_per_source",
            "must be at least 1, got -1"
        ),
        (
            "[stages.a]\nkind = \"shards\"\ninputs = { documents = \"a\", tokenizer = \"a\" }\nmax_shard_tokens = 0", "stages.a.max_shard_tokens",
            "must be at least 1, got 0"
        ),
        ("[stages.a]\nkind = \"eval\"\ninputs = { model = \"a\", shards = \"a\" }\nbatch = 0", "stages.a.batch", "must be at least 1, got 0"),
        (
            "[stages.a]\nkind = \"eval\"\ninputs = { model = \"a\", shards = \"a\" }\nsequence_length = -5", "stages.a.sequence_length",
            "must be at least 1, got -5"
        ),
        ("[stages.a]\nkind = \"mix\"\ninputs = { swarm = \"a\" }\nholdout = 2.0", "stages.a.holdout", "must be in [0, 0.9), got 2.0"),
        ("[stages.a]\nkind = \"mix\"\ninputs = { swarm = \"a\" }\npropose = { kl = -1.0 }", "stages.a.propose.kl", "must not be negative, got -1.0"),
        (
            "[stages.a]\nkind = \"swarm\"\ninputs = { shards = \"a\", tokenizer = \"a\" }\nswarm = { count = 8, temperature = -1.0 }\n[stages.a.proxy]\n\(PipelineDefinitionTests.proxy)",
            "stages.a.swarm.temperature", "must not be negative (0 gives a uniform prior, 1 the token shares), got -1.0"
        ),
        (
            "[stages.a]\nkind = \"swarm\"\ninputs = { shards = \"a\", tokenizer = \"a\" }\nswarm = { count = 8, seed = -3 }\n[stages.a.proxy]\n\(PipelineDefinitionTests.proxy)",
            "stages.a.swarm.seed", "must not be negative, got -3"
        ),
        (
            "[stages.a]\nkind = \"swarm\"\ninputs = { shards = \"a\", tokenizer = \"a\" }\nswarm = { count = 8 }\nsweep = { workers = 0 }\n[stages.a.proxy]\n\(PipelineDefinitionTests.proxy)",
            "stages.a.sweep.workers", "must be between 1 and 1024, got 0"
        ),
        (
            "[stages.a]\nkind = \"swarm\"\ninputs = { shards = \"a\", tokenizer = \"a\" }\nswarm = { count = 8 }\n[stages.a.proxy]\n\(PipelineDefinitionTests.proxy.replacingOccurrences(of: "steps = 4", with: "steps = 0"))",
            "stages.a.proxy.train.steps", "must be positive, got 0"
        ),
        (
            "[stages.a]\nkind = \"train\"\ninputs = { shards = \"a\", tokenizer = \"a\" }\n[stages.a.run]\n\(PipelineDefinitionTests.proxy.replacingOccurrences(of: "batch = 2", with: "batch = -5"))",
            "stages.a.run.train.batch", "must be positive, got -5"
        ),
        (
            "[stages.a]\nkind = \"train\"\ninputs = { shards = \"a\", tokenizer = \"a\" }\n[stages.a.run]\n\(PipelineDefinitionTests.proxy.replacingOccurrences(of: "lr = 1e-3", with: "lr = inf"))",
            "stages.a.run.optimizer.lr", "inf is not a finite number; configuration numbers must be finite"
        ),
        (
            "[stages.a]\nkind = \"mix\"\ninputs = { swarm = \"a\" }\n[stages.a.targets.\"eval/math/score\"]\nweight = -1.0",
            "stages.a.targets.\"eval/math/score\".weight", "must be a finite number ≥ 0, got -1.0"
        ),
        (
            "[stages.a]\nkind = \"mix\"\ninputs = { swarm = \"a\" }\ntarget = \"train/speed\"", "stages.a.target",
            "the name 'train/speed' implies no goal; use [targets.\"train/speed\"] with `goal`"
        ),
        (
            "[stages.a]\nkind = \"mix\"\ninputs = { swarm = \"a\" }\ntarget = \"eval/loss\"\n[stages.a.targets.\"eval/math/score\"]\nweight = 1.0",
            "stages.a.targets", "give `target` or a [targets] table, not both"
        ),
        (
            "[stages.a]\nkind = \"eval\"\ninputs = { model = \"a\", shards = \"a\" }\nmax_documents = 0", "stages.a.max_documents",
            "must be at least 1, got 0"
        ),
        (
            "[stages.a]\nkind = \"swarm\"\ninputs = { shards = \"a\", tokenizer = \"a\" }\nswarm = { count = 8 }\nsignal = { seeds = 1 }\n[stages.a.proxy]\n\(PipelineDefinitionTests.proxy)",
            "stages.a.signal.seeds", "must be between 2 and 1000 (a spread needs two), got 1"
        ),
        (
            "[stages.a]\nkind = \"swarm\"\ninputs = { shards = \"a\", tokenizer = \"a\" }\nswarm = { count = 8 }\ncapabilities = { max_documents = 0 }\n[stages.a.proxy]\n\(PipelineDefinitionTests.proxy)",
            "stages.a.capabilities.max_documents", "must be at least 1, got 0"
        ),
        (
            "[stages.a]\nkind = \"swarm\"\ninputs = { shards = \"a\", tokenizer = \"a\" }\nswarm = { count = 8 }\ncapabilities = { tasks = \"t\" }\n[stages.a.proxy]\n\(PipelineDefinitionTests.proxy)",
            "stages.a.capabilities.tasks", "is the `tasks` input's folder; wire inputs = { tasks = \"STAGE\" }"
        ),
    ])
    func settingOutOfRangeIsNamedByFileAndFullKey(body: String, keyPath: String, message: String) {
        #expect(throws: FactoryError.config(file: "p.toml", keyPath: keyPath, line: nil, message: message)) {
            try PipelineDefinition(toml: "name = \"t\"\n" + body, source: "p.toml")
        }
    }

    @Test func aPipelineFileThatIsADeviceIsRefusedNotRead() {
        #expect(
            throws: FactoryError.invalidArgument(
                name: "pipeline file /dev/zero", message: "is a character device, not a regular file or a folder of them")
        ) { try PipelineDefinition.load(path: "/dev/zero") }
    }
}

@Suite struct DemoPipelineTests {
    /// The repository root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func demoPipelineIsValidAndNamesFilesThatExist() throws {
        let pipeline = try PipelineDefinition.load(path: Self.root + "/pipelines/demo.toml")
        #expect(
            pipeline.stages.map(\.name) == ["corpus", "quality", "curate", "tokenizer", "shards", "tasks", "swarm", "mix", "train", "eval", "report"])
        for stage in pipeline.stages {
            for file in stage.stageKind.referencedFiles(settings: stage.settings) {
                #expect(FileManager.default.fileExists(atPath: Self.root + "/" + file), "stage \(stage.name) names \(file)")
            }
        }
        #expect(pipeline.dependents(of: "train") == ["eval", "report"])
        #expect(pipeline.dependents(of: "tasks") == ["swarm", "mix", "train", "eval", "report"])
    }
}
