import FactoryCore
import Testing

@testable import Pipeline

/// The `tasks` stage's wiring and settings as a pipeline file states them.
@Suite struct TasksStageTests {
    static let stages = """
        name = "t"
        [stages.corpus]
        kind = "corpus"
        config = "corpus.toml"
        [stages.tasks]
        kind = "tasks"
        inputs = { corpus = "corpus" }

        """

    @Test func takesACorpusAndOptionalShardsAndTokenizer() throws {
        let pipeline = try PipelineDefinition(toml: Self.stages + "config = \"tasks.toml\"\nngram = 13\n", source: "p.toml")
        #expect(pipeline.dependents(of: "corpus") == ["tasks"])
        let kind = try #require(StageKinds.named("tasks"))
        #expect(kind.inputRoles.required == ["corpus"] && kind.inputRoles.optional == ["shards", "tokenizer"])
        #expect(kind.referencedFiles(settings: ["config": .string("tasks.toml")]) == ["tasks.toml"])
    }

    @Test(arguments: [
        ("ngram = 0\n", "stages.tasks.ngram", "must be at least 1, got 0"),
        ("documents = 5\n", "stages.tasks.documents", "unknown key"),
    ])
    func badSettingsNameTheKey(settings: String, key: String, message: String) {
        let error = #expect(throws: FactoryError.self) { try PipelineDefinition(toml: Self.stages + settings, source: "p.toml") }
        #expect("\(error!)".contains(key) && "\(error!)".contains(message), "\(error!)")
    }
}
