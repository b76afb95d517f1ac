import Foundation
import Testing

/// `factory eval tasks …` parses as a subcommand of `eval` (whose own options stay required when
/// it evaluates), builds a task folder and refuses bad input by file and key.
@Suite struct EvalTasksCommandTests {
    let directory = NSTemporaryDirectory() + "factory-eval-tasks-" + UUID().uuidString

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    @Test func buildsMathTasksAndEvalStillNeedsItsOptions() throws {
        let config = directory + "/tasks.toml"
        try Data("suites = [\"math\"]\ndocuments = 5\n".utf8).write(to: URL(fileURLWithPath: config))
        let built = try FactoryExecutable.run(["eval", "tasks", "build", "--out", directory + "/tasks", "--config", config])
        #expect(built.status == 0, "\(built.errors)")
        #expect(built.output.contains("math-exact\tmath\texact_match\texact_match\t5\t0.000\t0"))
        #expect(built.errors.contains("no --corpus"))
        let names = try FileManager.default.contentsOfDirectory(atPath: directory + "/tasks").sorted()
        #expect(names == ["manifest.json", "math-choice.jsonl", "math-exact.jsonl"])
        let evaluate = try FactoryExecutable.run(["eval", "--data", directory])
        #expect(evaluate.refusedCleanly && evaluate.errors.contains("Missing expected argument '--model <model>'"))
    }

    @Test func refusesBadInputByFileAndKey() throws {
        let config = directory + "/bad.toml"
        try Data("documents = 0\n".utf8).write(to: URL(fileURLWithPath: config))
        let bad = try FactoryExecutable.run(["eval", "tasks", "build", "--out", directory + "/tasks", "--config", config])
        #expect(bad.refusedCleanly && bad.errors.contains("bad.toml") && bad.errors.contains("documents"))
        let noCorpus = try FactoryExecutable.run(["eval", "tasks", "build", "--out", directory + "/tasks", "--corpus", directory + "/none"])
        #expect(noCorpus.refusedCleanly && noCorpus.errors.contains(directory + "/none"))
        let check = try FactoryExecutable.run([
            "eval", "tasks", "check", "--tasks", directory, "--shards", directory, "--tokenizer", directory + "/none.json",
        ])
        #expect(check.refusedCleanly && check.errors.contains("none.json"))
    }
}
