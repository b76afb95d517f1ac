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
        ("[stages.a]\nkind = \"tokenizer\"\nvocab_size = 3", "stages.a.inputs.documents", "needs this input"),
        ("[stages.a]\nkind = \"tokenizer\"\ninputs = { documents = \"b\" }\nvocab_size = 3", "stages.a.inputs.documents", "no stage named 'b'"),
        ("[stages.a]\nkind = \"tokenizer\"\ninputs = { documents = \"a\" }\nvocab_size = 3", "stages", "form a cycle"),
        ("[stages.a]\nkind = \"corpus\"\nconfig = \"c.toml\"\ncolour = 1", "colour", "unknown key"),
        (
            "[stages.a]\nkind = \"corpus\"\nconfig = \"c.toml\"\n[stages.b]\nkind = \"tokenizer\"\ninputs = { text = \"a\" }\nvocab_size = 3",
            "stages.b.inputs.text", "has no input 'text'"
        ),
        (
            "[stages.a]\nkind = \"train\"\ninputs = { shards = \"a\", tokenizer = \"a\" }\n[stages.a.run]\nmodel = { preset = \"laguna-tiny\" }\noptimizer = { lr = 1e-3 }\nschedule = { kind = \"constant\" }\ntrain = { steps = 1, batch = 1, sequence_length = 8, output = \"x\" }",
            "train.output", "set by the pipeline"
        ),
    ])
    func rejectsBadStages(body: String, keyPath: String, message: String) {
        #expect {
            try PipelineDefinition(toml: "name = \"t\"\n" + body, source: "p.toml")
        } throws: { error in
            guard case .config(let file, let path, _, let text) = error as? FactoryError else { return false }
            return file.hasPrefix("p.toml") && path == keyPath && text.contains(message)
        }
    }
}

@Suite struct DemoPipelineTests {
    /// The repository root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func demoPipelineIsValidAndNamesFilesThatExist() throws {
        let pipeline = try PipelineDefinition.load(path: Self.root + "/pipelines/demo.toml")
        #expect(pipeline.stages.map(\.name) == ["corpus", "quality", "curate", "tokenizer", "shards", "swarm", "mix", "train", "eval", "report"])
        for stage in pipeline.stages {
            for file in stage.stageKind.referencedFiles(settings: stage.settings) {
                #expect(FileManager.default.fileExists(atPath: Self.root + "/" + file), "stage \(stage.name) names \(file)")
            }
        }
        #expect(pipeline.dependents(of: "train") == ["eval", "report"])
    }
}
