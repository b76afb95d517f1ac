import Execution
import FactoryCore
import Foundation
import Testing

@testable import Mixing

/// A sweep with `[capabilities]` scores each trained proxy with `factory eval --suites
/// capabilities` and joins the metrics to its row. A stand-in `factory` (a shell script) plays
/// both commands as the CLI contract says: `train --config RUN.toml` writes `final_metrics.json`
/// next to the run file, `eval … --output FILE` writes capability results.
@Suite struct ProxySweepCapabilityTests {
    static func makeFactory(in directory: String) throws -> String {
        let path = directory + "/factory"
        try """
        #!/bin/sh
        echo "$*" >> "\(directory)/calls.log"
        case "$1" in
        train)
            folder=$(dirname "$3")
            number=$(basename "$folder" | sed 's/run-0*//')
            printf '{"eval/loss": %s.5, "train/loss": 4.0}' "$number" > "$folder/final_metrics.json" ;;
        eval)
            while [ "$1" != "--output" ]; do shift; done
            number=$(basename "$(dirname "$2")" | sed 's/run-0*//')
            printf '{"tasks": [{"name": "antonyms", "capability": "common_sense", "kind": "multiple_choice", "metric": "acc",
              "chance": 0.25, "documents": 4, "metrics": {"acc": {"value": 0.%s, "stderr": 0.1}, "acc_norm": {"value": 0.5, "stderr": 0.1}}},
              {"name": "glosses", "capability": "common_sense", "kind": "multiple_choice", "metric": "acc", "chance": 0.25,
              "documents": 4, "metrics": {"acc": {"value": 0.1, "stderr": 0.1}}}],
              "capabilities": [{"capability": "common_sense", "score": 0.%s, "stderr": 0.05, "chance": 0.25,
              "tasks": ["antonyms", "glosses"], "metrics": {"acc": 0.%s, "acc_norm": 0.5}}], "settings": {}}' \\
              "$number" "$number" "$number" > "$2" ;;
        esac
        """.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    @Test func proxiesAreScoredAfterTrainingAndTheScoresJoinTheirRows() throws {
        let directory = NSTemporaryDirectory() + "factory-capsweep-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let factory = try Self.makeFactory(in: directory)
        try "[data]\ntrain = \"shards\"\n[train]\nsteps = 3\nseed = 0\noutput = \"x\"\n".write(
            toFile: directory + "/proxy.toml", atomically: true, encoding: .utf8)
        let mixtures = try [["a": 1.0, "b": 0], ["a": 0.5, "b": 0.5], ["a": 0, "b": 1]].map { try Mixture($0) }
        let sweep = ProxySweep(
            directory: directory + "/sweep", baseRunFile: directory + "/proxy.toml", mixtures: mixtures, factory: factory,
            store: directory + "/store", threadsPerRun: 1, capabilities: .init(tasks: directory + "/tasks", maxDocuments: 7),
            seeds: [0, 0, 5])
        try sweep.run(executor: LocalExecutor(workers: 2))
        let calls = try String(contentsOfFile: directory + "/calls.log", encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(calls.count == 6)
        #expect(calls.prefix(3).allSatisfy { $0.hasPrefix("train --config \(directory)/sweep/run-00") })
        let run2 = directory + "/sweep/run-002"
        #expect(
            calls.suffix(3).contains(
                "eval --model \(run2)/final --suites capabilities --tasks \(directory)/tasks --output \(run2)/capabilities.json "
                    + "--max-documents 7 --store \(directory)/store"))
        #expect(try String(contentsOfFile: directory + "/sweep/run-003/run.toml", encoding: .utf8).contains("seed = 5"))

        let metrics = try sweep.collect()
        #expect(metrics.index == ["1", "2", "3"])
        #expect(try metrics.column("eval/common_sense/score", source: "m") == [0.1, 0.2, 0.3])
        #expect(try metrics.column("eval/common_sense/chance", source: "m") == [0.25, 0.25, 0.25])
        #expect(try metrics.column("eval/loss", source: "m") == [1.5, 2.5, 3.5])
        #expect(try metrics.column("eval/common_sense/acc", source: "m") == [0.1, 0.2, 0.3])
        #expect(try metrics.column("eval/common_sense/acc_norm", source: "m") == [0.5, 0.5, 0.5])
        #expect(try metrics.column("eval/task/glosses/acc", source: "m") == [0.1, 0.1, 0.1])
        #expect(try NumericTable.read(path: directory + "/sweep/metrics.csv") == metrics)

        // Restarted with one evaluation missing: only that evaluation runs again.
        try FileManager.default.removeItem(atPath: run2 + "/capabilities.json")
        #expect(sweep.pendingRuns() == [1] && sweep.untrainedRuns().isEmpty)
        try sweep.run(executor: LocalExecutor(workers: 2))
        let again = try String(contentsOfFile: directory + "/calls.log", encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(again.count == 7 && again[6].hasPrefix("eval --model \(run2)/final"))
    }

    @Test func brokenResultsAreNamed() throws {
        let path = NSTemporaryDirectory() + "factory-capres-" + UUID().uuidString + ".json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "{\"tasks\": [], \"capabilities\": {}}".write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try CapabilityMetrics.read(path: path) } throws: { error in
            guard case .corrupt(let file, let reason) = error as? FactoryError else { return false }
            return file == path && reason.contains("not the results of `factory eval --suites capabilities`")
        }
        #expect(CapabilityMetrics.capabilities(in: ["eval/loss", "eval/math/score", "eval/task/x/score", "eval/code/acc"]) == ["math"])
    }
}
