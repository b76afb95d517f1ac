import FactoryCore
import Foundation
import Testing

@testable import Lineage

@Suite struct RunRecordTests {
    @Test func runsRoundTripWithConfigTagsAndProvenance() throws {
        let scratch = try ScratchDirectory()
        let store = try FactoryStore.open(root: scratch.path + "/store")
        let config = try RunConfig(toml: "[train]\nlr = 0.001\noptimizer = \"muon\"\n", source: "c.toml")
        let provenance = CodeProvenance(
            factoryVersion: "9.9.9", gitCommit: "abc123", gitDiffDigest: Digest.of("diff"), executableDigest: Digest.of("exe"), host: "box")
        let started = Date(timeIntervalSince1970: 1_700_000_000.25)
        let run = try store.startRun(
            kind: "proxy", name: "p1", config: config, seed: 7, tags: ["sweep", "a", "sweep"], id: "p1", provenance: provenance,
            startedAt: started)
        #expect(run.tags == ["a", "sweep"])
        #expect(try store.records.run("p1") == run)
        try store.records.endRun("p1", status: .finished, at: started.addingTimeInterval(60))
        try store.records.endRun("p1", status: .finished, at: started.addingTimeInterval(99))
        let ended = try #require(try store.records.run("p1"))
        #expect(ended.status == .finished && ended.endedAt == started.addingTimeInterval(60))
        #expect(throws: FactoryError.invalidArgument(name: "status", message: "run p1 already ended as finished")) {
            try store.records.endRun("p1", status: .failed, at: Date())
        }
        #expect(throws: FactoryError.invalidArgument(name: "run id", message: "a run with id 'p1' already exists")) {
            try store.startRun(kind: "proxy", name: "again", id: "p1", provenance: provenance)
        }
    }

    @Test func queriesFilterByKindStatusTagAndPrefix() throws {
        let scratch = try ScratchDirectory()
        let store = try FactoryStore.open(root: scratch.path + "/store")
        _ = try store.testRun("alpha-1", kind: "proxy", tags: ["sweep"])
        _ = try store.testRun("alpha-2", kind: "proxy")
        _ = try store.testRun("beta-1", kind: "train", tags: ["sweep"])
        try store.records.endRun("alpha-2", status: .failed, at: Date())
        #expect(try store.records.runs(RunQuery(kind: "proxy")).map(\.id) == ["alpha-1", "alpha-2"])
        #expect(try store.records.runs(RunQuery(status: .failed)).map(\.id) == ["alpha-2"])
        #expect(try store.records.runs(RunQuery(tag: "sweep")).map(\.id) == ["alpha-1", "beta-1"])
        #expect(try store.records.resolveRun("beta").id == "beta-1")
        #expect { try store.records.resolveRun("alpha") } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "run" && message.contains("'alpha' matches 2 runs")
        }
        #expect { try store.records.resolveRun("gamma") } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "run" && message.contains("no run has an id starting with 'gamma'")
        }
    }

    @Test func configDigestIgnoresFormatAndKeyOrder() throws {
        let toml = try RunConfig(toml: "seed = 3\n[opt]\nname = \"adamw\"\nlr = 1e-3\n", source: "a.toml")
        let json = try RunConfig(json: #"{"opt": {"lr": 0.001, "name": "adamw"}, "seed": 3}"#, source: "a.json")
        #expect(toml.digest == json.digest)
        #expect(toml.canonicalText == #"{"opt":{"lr":0.001,"name":"adamw"},"seed":3}"#)
        #expect(try toml.leaf(named: "lr")?.path == "opt.lr")
        let ambiguous = try RunConfig(json: #"{"a": {"lr": 1}, "b": {"lr": 2}}"#, source: "b.json")
        #expect { try ambiguous.leaf(named: "lr") } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "lr" && message.contains("matches several config keys: a.lr, b.lr")
        }
        #expect(
            throws: FactoryError.config(
                file: "bad.toml", keyPath: "x", line: nil, message: "nan is not a finite number; configuration numbers must be finite")
        ) {
            try RunConfig(toml: "x = nan\n", source: "bad.toml")
        }
    }

    @Test func eventsKeepTheirOrderAndDetails() throws {
        let scratch = try ScratchDirectory()
        let store = try FactoryStore.open(root: scratch.path + "/store")
        _ = try store.testRun("t")
        let fault = RunEvent(
            runID: "t", kind: .integrityFault, time: Date(timeIntervalSince1970: 5), step: 120,
            message: "replica 2 disagrees", details: ["replica": "2", "expected": "ab", "actual": "cd"])
        let rollback = RunEvent(runID: "t", kind: .rollback, time: Date(timeIntervalSince1970: 6), message: "back to step 100")
        try store.records.recordEvent(fault)
        try store.records.recordEvent(rollback)
        #expect(try store.records.events(ofRun: "t") == [fault, rollback])
    }

    @Test func provenanceRecordsCommitAndDirtyDiffOfACheckout() throws {
        let scratch = try ScratchDirectory()
        let repository = scratch.path + "/repo"
        try scratch.write("one\n", to: "repo/file.txt")
        func git(_ arguments: String...) throws -> String {
            let output = try #require(Git.run(["-c", "user.name=t", "-c", "user.email=t@t"] + arguments, in: repository), "git \(arguments)")
            return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        _ = try git("init", "-q")
        _ = try git("add", "file.txt")
        _ = try git("commit", "-q", "-m", "first")
        let head = try git("rev-parse", "HEAD")
        let clean = CodeProvenance.capture(workingDirectory: repository)
        #expect(clean.gitCommit == head && clean.gitDiffDigest == nil)
        #expect(clean.executableDigest != nil && clean.factoryVersion == FactoryVersion.current)
        try scratch.write("two\n", to: "repo/file.txt")
        let dirty = CodeProvenance.capture(workingDirectory: repository)
        #expect(dirty.gitCommit == head)
        #expect(dirty.gitDiffDigest == Digest.of(try #require(Git.run(["diff", "HEAD", "--binary"], in: repository))))
        try scratch.write("three\n", to: "repo/file.txt")
        #expect(CodeProvenance.capture(workingDirectory: repository).gitDiffDigest != dirty.gitDiffDigest)
        try FileManager.default.createDirectory(atPath: scratch.path + "/plain", withIntermediateDirectories: true)
        #expect(CodeProvenance.capture(workingDirectory: scratch.path + "/plain").gitCommit == nil)
    }
}
