import FactoryCore
import Foundation
import Lineage
import Synchronization
import Testing

@testable import Pipeline

/// A stage kind for tests: writes `out.txt` = its input's `out.txt` + `text`, counts its runs,
/// fails when `fail` is set, and interrupts the pipeline when `interrupt` is set.
final class AppendStage: StageKind, Sendable {
    let name = "append"
    let inputRoles = StageInputRoles(required: [], optional: ["source"])
    let interrupts: InterruptMonitor
    private let runs = Mutex<[String]>([])

    init(interrupts: InterruptMonitor) { self.interrupts = interrupts }

    var executed: [String] { runs.withLock { $0 } }

    func validate(settings: [String: ConfigValue], source: String, keyPrefix: String) throws {
        for key in settings.keys where !["text", "fail", "interrupt", "note"].contains(key) {
            throw FactoryError.config(file: source, keyPath: "\(keyPrefix).\(key)", line: nil, message: "unknown key")
        }
    }

    func execute(_ context: StageContext) throws {
        runs.withLock { $0.append(context.stage.name) }
        if case .bool(true)? = context.stage.settings["interrupt"] {
            interrupts.interrupt()
            throw StageFailure(message: "interrupted", interrupted: true)
        }
        if case .bool(true)? = context.stage.settings["fail"] { throw StageFailure(message: "asked to fail", interrupted: false) }
        let upstream = try context.inputs["source"].map { try String(contentsOfFile: $0 + "/out.txt", encoding: .utf8) } ?? ""
        guard case .string(let text)? = context.stage.settings["text"] else { return }
        try context.writeOutput("out.txt", upstream + text)
    }
}

@Suite struct PipelineRunnerTests {
    /// a → b → c, and d on its own.
    static func pipeline(b: String = "text = \"B\"", workspace: String) -> String {
        """
        name = "toy"
        workspace = "\(workspace)"
        [stages.a]
        kind = "append"
        text = "A"
        [stages.b]
        kind = "append"
        inputs = { source = "a" }
        \(b)
        [stages.c]
        kind = "append"
        inputs = { source = "b" }
        text = "C"
        [stages.d]
        kind = "append"
        text = "D"
        """
    }

    struct Fixture {
        let folder: String
        let store: FactoryStore
        let interrupts = InterruptMonitor()
        let kind: AppendStage

        init() throws {
            folder = NSTemporaryDirectory() + "pipeline-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            store = try FactoryStore.open(root: folder + "/store")
            kind = AppendStage(interrupts: interrupts)
        }

        /// The code digest tests run with unless they change it.
        static let code = Digest.of("factory build 1")

        func runner(b: String = "text = \"B\"", code: Digest = Fixture.code, reuseAcrossVersions: Bool = false) throws -> PipelineRunner {
            let definition = try PipelineDefinition(
                toml: PipelineRunnerTests.pipeline(b: b, workspace: folder + "/work"), source: "toy.toml", kinds: [kind])
            return PipelineRunner(
                pipeline: definition, store: store, factory: "/bin/false", code: code, reuseAcrossVersions: reuseAcrossVersions, echo: false,
                interrupts: interrupts)
        }

        func run(b: String = "text = \"B\"", code: Digest = Fixture.code, reuseAcrossVersions: Bool = false) throws -> [PipelineRunner.StageResult] {
            try runner(b: b, code: code, reuseAcrossVersions: reuseAcrossVersions).run { _ in }
        }

        func actions(b: String = "text = \"B\"") throws -> [String: String] {
            Dictionary(uniqueKeysWithValues: try runner(b: b).plan().map { ($0.stage.name, $0.decision.action) })
        }

        func output(_ results: [PipelineRunner.StageResult], _ stage: String) throws -> String {
            try String(contentsOfFile: results.first { $0.stage.name == stage }!.output!.folder + "/out.txt", encoding: .utf8)
        }
    }

    @Test func secondRunDoesNothing() throws {
        let fixture = try Fixture()
        #expect(try fixture.actions() == ["a": "run", "b": "run?", "c": "run?", "d": "run"])
        let first = try fixture.run()
        #expect(fixture.kind.executed == ["a", "b", "c", "d"])
        #expect(try fixture.output(first, "c") == "ABC")
        #expect(try fixture.actions() == ["a": "skip", "b": "skip", "c": "skip", "d": "skip"])
        let second = try fixture.run()
        #expect(fixture.kind.executed.count == 4)
        #expect(second.map(\.output?.folder) == first.map(\.output?.folder))
    }

    @Test func editingAStageRerunsExactlyItsDependents() throws {
        let fixture = try Fixture()
        _ = try fixture.run()
        let plan = try fixture.runner(b: "text = \"X\"").plan()
        let decisions = Dictionary(uniqueKeysWithValues: plan.map { ($0.stage.name, $0.decision) })
        #expect(decisions["b"]!.explanation == "setting text changed: B → X")
        #expect(try fixture.actions(b: "text = \"X\"") == ["a": "skip", "b": "run", "c": "run?", "d": "skip"])
        let results = try fixture.run(b: "text = \"X\"")
        #expect(fixture.kind.executed == ["a", "b", "c", "d", "b", "c"])
        #expect(try fixture.output(results, "c") == "AXC")
        // Going back finds the earlier outputs, still intact: nothing runs.
        _ = try fixture.run()
        #expect(fixture.kind.executed.count == 6)
    }

    @Test func changedCodeRerunsEveryStageAndSaysWhy() throws {
        let fixture = try Fixture()
        _ = try fixture.run()
        let rebuilt = Digest.of("factory build 2")
        let plan = try fixture.runner(code: rebuilt).plan()
        let old = Fixture.code.hex.prefix(12)
        let new = rebuilt.hex.prefix(12)
        #expect(plan.map(\.decision.action) == ["run", "run?", "run?", "run"])
        #expect(plan[0].decision.explanation == "code changed: factory executable \(old) → \(new)")
        _ = try fixture.run(code: rebuilt)
        // b's output is byte-identical, so c is not rebuilt by the input; the code change alone re-runs it.
        #expect(fixture.kind.executed == ["a", "b", "c", "d", "a", "b", "c", "d"])
        // The same code again: nothing runs.
        _ = try fixture.run(code: rebuilt)
        #expect(fixture.kind.executed.count == 8)
    }

    @Test func reuseAcrossVersionsKeepsOutputsMadeByOtherCode() throws {
        let fixture = try Fixture()
        let first = try fixture.run()
        let rebuilt = Digest.of("factory build 2")
        let plan = try fixture.runner(code: rebuilt, reuseAcrossVersions: true).plan()
        #expect(plan.map(\.decision.action) == ["skip", "skip", "skip", "skip"])
        #expect(
            plan[0].decision.explanation
                == "reused across versions: finished by run \(first[0].output!.runID) with factory executable \(Fixture.code.hex.prefix(12))")
        let reused = try fixture.run(code: rebuilt, reuseAcrossVersions: true)
        #expect(fixture.kind.executed.count == 4)
        #expect(reused.map(\.output?.folder) == first.map(\.output?.folder))
        // A setting change still re-runs, escape or not.
        #expect(try fixture.runner(b: "text = \"X\"", code: rebuilt, reuseAcrossVersions: true).plan()[1].decision.action == "run")
    }

    @Test(arguments: [("note = nan", "stages.b.note"), ("note = { x = [1.0, -inf] }", "stages.b.note.x[1]")])
    func nonFiniteSettingIsAnErrorNamingTheFileAndKey(setting: String, keyPath: String) throws {
        let fixture = try Fixture()
        #expect {
            try fixture.runner(b: "text = \"B\"\n\(setting)")
        } throws: { error in
            guard case .config(let file, let path, _, let message) = error as? FactoryError else { return false }
            return file == "toy.toml" && path == keyPath && message.hasSuffix("is not a finite number; configuration numbers must be finite")
        }
        #expect {
            try StageIdentity(
                kind: "append", settings: ["lr": .float(.infinity)], files: [:], inputs: [:], code: nil, source: "p.toml", keyPrefix: "stages.t")
        } throws: { error in
            guard case .config("p.toml", "stages.t.lr", _, _) = error as? FactoryError else { return false }
            return true
        }
    }

    @Test func unchangedOutputStopsTheRebuild() throws {
        let fixture = try Fixture()
        _ = try fixture.run()
        // `note` changes b's identity but not its output, so c is not rebuilt.
        let first = try fixture.run()
        let second = try fixture.run(b: "text = \"B\"\nnote = \"same bytes\"")
        #expect(fixture.kind.executed == ["a", "b", "c", "d", "b"])
        // Stages downstream see the first folder that holds those bytes, so their paths do not move.
        #expect(second[1].output!.folder == first[1].output!.folder)
        #expect(second[1].output!.runID == first[1].output!.runID)
    }

    @Test func failureBlocksDependentsAndTheNextRunResumes() throws {
        let fixture = try Fixture()
        let failed = try fixture.run(b: "text = \"B\"\nfail = true")
        #expect(fixture.kind.executed == ["a", "b", "d"])
        #expect(failed.first { $0.stage.name == "b" }!.failure == "asked to fail")
        #expect(failed.first { $0.stage.name == "c" }!.decision == .blocked(input: "b"))
        let failedRuns = try fixture.store.records.runs(RunQuery(kind: PipelineRunner.runKind, status: .failed))
        #expect(failedRuns.map(\.name) == ["toy/b"])
        _ = try fixture.run()
        #expect(fixture.kind.executed == ["a", "b", "d", "b", "c"])
    }

    @Test func interruptStopsTheRunAndRecordsTheStageAsKilled() throws {
        let fixture = try Fixture()
        let results = try fixture.run(b: "text = \"B\"\ninterrupt = true")
        #expect(results.map(\.stage.name) == ["a", "b"])
        #expect(try fixture.store.records.runs(RunQuery(kind: PipelineRunner.runKind, status: .killed)).map(\.name) == ["toy/b"])
    }

    @Test func changedOrMissingOutputIsRebuilt() throws {
        let fixture = try Fixture()
        let first = try fixture.run()
        try "tampered".write(toFile: first[0].output!.folder + "/out.txt", atomically: true, encoding: .utf8)
        let plan = try fixture.runner().plan()
        #expect(plan[0].decision.explanation == "its output folder is missing or was changed since it finished")
        _ = try fixture.run()
        #expect(fixture.kind.executed == ["a", "b", "c", "d", "a"])
        try FileManager.default.removeItem(atPath: first[3].output!.folder)
        _ = try fixture.run()
        #expect(fixture.kind.executed == ["a", "b", "c", "d", "a", "d"])
    }

    @Test func stageHistoryWalksUpstreamThroughTheLineageStore() throws {
        let fixture = try Fixture()
        let results = try fixture.run()
        let c = results.first { $0.stage.name == "c" }!.output!.runID
        let history = try PipelineStageHistory(store: fixture.store, finalRuns: [c])
        #expect(history.runs.map(PipelineStageHistory.stageName) == ["a", "b", "c"])
        let names = Dictionary(uniqueKeysWithValues: history.runs.map { ($0.id, PipelineStageHistory.stageName($0)) })
        #expect(history.links.map { "\(names[$0.from]!)->\(names[$0.to]!):\($0.role)" }.sorted() == ["a->b:source", "b->c:source"])
    }

    @Test func stageRunsLeftRunningByADeadRunnerAreEndedAsKilled() throws {
        let fixture = try Fixture()
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let config = try RunConfig(value: .table(["runner_pid": .integer(Int(gone.processIdentifier))]))
        let stale = try fixture.store.startRun(kind: PipelineRunner.runKind, name: "toy/a", config: config, tags: ["pipeline:toy"])
        let alive = try fixture.store.startRun(
            kind: PipelineRunner.runKind, name: "toy/b", config: try RunConfig(value: .table(["runner_pid": .integer(Int(getpid()))])),
            tags: ["pipeline:toy"])
        var abandoned = [String]()
        _ = try fixture.runner().run { event in
            if case .abandoned(let run) = event { abandoned.append(run.id) }
        }
        #expect(abandoned == [stale.id])
        #expect(try fixture.store.records.run(stale.id)?.status == .killed)
        #expect(try fixture.store.records.run(alive.id)?.status == .running)
    }
}
