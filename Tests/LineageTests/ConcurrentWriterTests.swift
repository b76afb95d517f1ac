import FactoryCore
import Foundation
import Testing

@testable import Lineage

/// Many processes writing to one store at once, through the real `factory` executable.
@Suite struct ConcurrentWriterTests {
    static let writers = 8
    static let pointsPerWriter = 5_000
    static let resentPoints = 1_000

    private static func value(writer: Int, step: Int) -> Double { Double(writer) * 1_000_000 + Double(step) * 0.25 }

    /// 8 writer processes × 5,000 points into one run, in batches of 100, each also re-sending
    /// its first 1,000 points (as a writer retrying after a timeout would): every point is
    /// stored exactly once with its value.
    @Test func eightProcessesWriteEveryPointExactlyOnce() throws {
        let scratch = try ScratchDirectory()
        let root = scratch.path + "/store"
        let store = try FactoryStore.open(root: root)
        _ = try store.testRun("stress")
        var files = [String]()
        for writer in 0..<Self.writers {
            var lines = ["key,step,value"]
            let steps = Array(0..<Self.pointsPerWriter) + Array(0..<Self.resentPoints)
            for step in steps { lines.append("writer\(writer)/loss,\(step),\(Self.value(writer: writer, step: step))") }
            files.append(try scratch.write(lines.joined(separator: "\n") + "\n", to: "points-\(writer).csv"))
        }
        let processes = try files.map { file in
            try FactoryProcess(["runs", "log", "stress", "--file", file, "--batch-size", "100", "--store", root])
        }
        let results = processes.map { $0.wait() }
        for (writer, result) in results.enumerated() {
            #expect(result.status == 0, "writer \(writer) failed: \(result.output)")
        }
        #expect(try store.records.metricCount(run: "stress") == Self.writers * Self.pointsPerWriter)
        for writer in 0..<Self.writers {
            let series = try store.records.metricSeries(run: "stress", key: "writer\(writer)/loss")
            #expect(series.map(\.step) == (0..<Int64(Self.pointsPerWriter)).map { $0 })
            #expect(series.allSatisfy { $0.value == Self.value(writer: writer, step: Int($0.step)) })
        }
    }

    /// The commands end to end: add artifacts, start a run with a config, link, log, finish,
    /// then query lineage, ablate, and verify after corrupting an object.
    @Test func commandsRecordQueryAndVerify() throws {
        let scratch = try ScratchDirectory()
        let root = scratch.path + "/store"
        func factory(_ arguments: String...) throws -> String {
            let result = try runFactory(arguments + ["--store", root])
            #expect(result.status == 0, "factory \(arguments.joined(separator: " ")): \(result.output)")
            return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let corpus = try factory("artifacts", "add", try scratch.write("raw text\n", to: "corpus.txt"), "--kind", "dataset")
        let config = try scratch.write("[train]\nlr = 0.01\noptimizer = \"muon\"\n", to: "train.toml")
        let run = try factory("runs", "start", "--kind", "proxy", "--name", "p", "--config", config, "--seed", "3", "--tag", "smoke")
        let checkpoint = try factory("artifacts", "add", try scratch.write("weights", to: "ckpt/model.bin"), "--kind", "checkpoint")
        _ = try factory("runs", "link", run, "--input", "\(corpus):train-data", "--output", String(checkpoint.prefix(10)))
        _ = try factory("runs", "log", run, "--file", try scratch.write("key,step,value\neval/loss,10,2.5\n", to: "m.csv"))
        _ = try factory("runs", "finish", run)

        let shown = try factory("runs", "show", run)
        #expect(shown.contains("status: finished") && shown.contains("train.optimizer = muon") && shown.contains("eval/loss"))
        #expect(try factory("runs", "list").contains(run))
        let listed = try CanonicalJSON.decode(try factory("runs", "list", "--json"), source: "runs.json")
        guard case .array(let runs) = listed, case .table(let first)? = runs.first else {
            Issue.record("runs list --json is not an array of objects")
            return
        }
        #expect(first["id"] == .string(run) && first["seed"] == .integer(3))
        if case .table(let provenance)? = first["provenance"] {
            #expect(provenance["executable_digest"] != nil, "the factory executable's digest is recorded")
        } else {
            Issue.record("no provenance in \(first)")
        }
        let dot = try factory("lineage", checkpoint, "--upstream", "--format", "dot")
        #expect(dot.contains("\"a:\(corpus)\" -> \"r:\(run)\" [label=\"train-data\"];"))
        let downstream = try factory("lineage", String(corpus.prefix(12)), "--downstream")
        #expect(downstream.contains("-> (train-data) run \(run) proxy \"p\" [finished]"))
        #expect(try factory("artifacts", "verify").hasSuffix("2 artifacts verified, 0 damaged"))

        let objectPath = "\(root)/objects/\(checkpoint.prefix(2))/\(checkpoint)"
        try Data("weightz".utf8).write(to: URL(fileURLWithPath: objectPath))
        let verify = try runFactory(["artifacts", "verify", "--store", root])
        #expect(verify.status == 1)
        #expect(verify.output.contains("DAMAGED  \(checkpoint) checkpoint model.bin"))
        #expect(verify.output.contains("\(objectPath) is corrupt: its bytes hash to \(Digest.of("weightz").hex)"))

        let missing = try runFactory(["runs", "show", "nosuchrun", "--store", root])
        #expect(missing.status != 0 && missing.output.contains("no run has an id starting with 'nosuchrun'"))
    }
}
