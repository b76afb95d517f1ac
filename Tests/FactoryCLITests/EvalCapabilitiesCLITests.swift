import ArgumentParser
import FactoryCore
import Foundation
import Lineage
import Testing

@testable import FactoryCLI

/// `factory eval --suites capabilities`: the command line, the table, the results file and the
/// lineage metrics, and the refusals of a missing folder or a malformed task file.
@Suite struct EvalCapabilitiesCLITests {
    let work = NSTemporaryDirectory() + "factory-eval-capabilities-" + UUID().uuidString

    init() throws {
        try FileManager.default.createDirectory(atPath: work + "/tasks", withIntermediateDirectories: true)
    }

    @Test func evalKeepsEvaluatingByDefaultAndChecksWhichOptionsGoWithWhichSuite() throws {
        let domains = try #require(try Factory.parseAsRoot(["eval", "--model", "m", "--data", "d"]) as? EvalRunCommand)
        #expect(domains.suites == .domains && domains.data == "d")
        let capabilities = try #require(
            try Factory.parseAsRoot(["eval", "--model", "m", "--suites", "capabilities", "--tasks", "t", "--pass-k", "1", "--pass-k", "2"])
                as? EvalRunCommand)
        #expect(capabilities.suites == .capabilities && capabilities.tasks == "t" && capabilities.passK == [1, 2])
        for (arguments, message) in [
            (["eval", "--model", "m", "--suites", "capabilities"], "--suites capabilities needs --tasks"),
            (["eval", "--model", "m"], "--suites domains needs --data"),
            (["eval", "--model", "m", "--data", "d", "--tasks", "t"], "--tasks is for --suites capabilities"),
            (["eval", "--model", "m", "--suites", "capabilities", "--tasks", "t", "--data", "d"], "--data and --tokenizer are for --suites domains"),
        ] {
            #expect {
                try Factory.parseAsRoot(arguments)
            } throws: { error in
                Factory.message(for: error).contains(message)
            }
        }
    }

    func factory(_ arguments: [String]) throws -> FactoryExecutable.Outcome {
        try FactoryExecutable.run(arguments, timeout: 300)
    }

    @Test func scoresATaskFolderPrintsTablesWritesResultsAndRecordsMetrics() throws {
        let text = work + "/text.txt"
        try String(repeating: "Question: is fire hot or cold? Answer: hot. The sky is blue. ", count: 20)
            .write(toFile: text, atomically: true, encoding: .utf8)
        #expect(try factory(["tokenizer", "train", text, "-o", work + "/tokenizer.json", "--vocab-size", "300"]).status == 0)
        let checkpoint = work + "/ckpt"
        let initialized = try factory([
            "model", "init", "--preset", "laguna-tiny", "--seed", "1", "--tokenizer", work + "/tokenizer.json", "-o", checkpoint,
        ])
        #expect(initialized.status == 0, "\(initialized.errors)")
        let header =
            #"{"header": {"name": "colours", "kind": "multiple_choice", "capability": "common_sense", "metric": "acc_norm", "license": "CC0", "source": "by hand", "chance": 0.5, "description": "", "provenance": {}}}"#
        let documents = [
            #"{"id": "1", "context": "Question: is fire hot or cold?\nAnswer:", "choices": ["hot", "cold"], "gold": 0}"#,
            #"{"id": "2", "context": "The sky is", "choices": ["blue", "green"], "gold": 0}"#,
            #"{"id": "3", "context": "Question: is ice hot or cold? Answer: ", "choices": ["hot", "cold"], "gold": 1}"#,
        ]
        try ([header] + documents).joined(separator: "\n").write(toFile: work + "/tasks/colours.jsonl", atomically: true, encoding: .utf8)

        let output = work + "/capabilities.json"
        let store = work + "/store"
        let outcome = try factory([
            "eval", "--model", checkpoint, "--suites", "capabilities", "--tasks", work + "/tasks", "--output", output, "--store", store,
            "--bootstrap", "20",
        ])
        #expect(outcome.status == 0, "\(outcome.errors)")
        #expect(outcome.output.contains("colours  common_sense  acc_norm *"), "\(outcome.output)")
        #expect(outcome.output.contains("capability    score ± stderr"), "\(outcome.output)")
        let results = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as? [String: Any])
        let tasks = try #require(results["tasks"] as? [[String: Any]])
        let perDocument = try #require(tasks.first?["per_document"] as? [[String: Any]])
        #expect(perDocument.count == 3)
        #expect(perDocument.allSatisfy { ($0["loglikelihoods"] as? [Double])?.count == 2 })

        let run = try #require(outcome.output.split(separator: "\n").first { $0.hasPrefix("lineage: run ") }?.split(separator: " ")[2])
        let metrics = try FactoryStore.open(root: store).records.finalMetrics(run: String(run))
        let keys = Set(metrics.map(\.key))
        #expect(keys.isSuperset(of: ["eval/common_sense/score", "eval/common_sense/acc", "eval/task/colours/acc_norm"]), "\(keys)")
        let accNorm = try #require((tasks.first?["metrics"] as? [String: [String: Double]])?["acc_norm"]?["value"])
        #expect(metrics.first { $0.key == "eval/common_sense/score" }?.value == accNorm)
    }

    @Test func aMissingFolderAndAMalformedTaskFileAreRefusedByName() throws {
        let missing = try factory(["eval", "--model", work + "/none", "--suites", "capabilities", "--tasks", work + "/no-tasks"])
        #expect(missing.refusedCleanly)
        #expect(missing.errors.contains(work + "/no-tasks: no such file or directory"), "\(missing.errors)")
        let header =
            #"{"header": {"name": "t", "kind": "multiple_choice", "capability": "stem", "metric": "acc", "license": "l", "source": "s", "chance": 0.5, "description": "", "provenance": {}}}"#
        try [header, #"{"id": "1", "context": "c", "choices": ["a", "b"], "gold": 5}"#].joined(separator: "\n")
            .write(toFile: work + "/tasks/bad.jsonl", atomically: true, encoding: .utf8)
        let malformed = try factory(["eval", "--model", work + "/none", "--suites", "capabilities", "--tasks", work + "/tasks"])
        #expect(malformed.refusedCleanly)
        #expect(malformed.errors.contains("bad.jsonl:2: key 'gold': must be between 0 and 1, got 5"), "\(malformed.errors)")
    }
}
