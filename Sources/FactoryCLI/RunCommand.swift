import ArgumentParser
import FactoryCore
import Foundation
import Pipeline

/// `factory run pipeline.toml`: the factory line, stage by stage, skipping what is up to date.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a pipeline file's stages as a DAG, re-running only stages whose config or inputs changed.",
        discussion: """
            Each stage's identity is the digest of its settings, the files they name, its inputs' \
            outputs and the code that runs it (the digest of this factory executable, so a \
            rebuilt factory re-runs every stage; --reuse-across-versions keeps outputs made by \
            other code). A stage whose identity already finished (recorded in the lineage store, \
            outputs intact) is skipped. A failed stage blocks its dependents; \
            the next run resumes from there. Ctrl-C stops the running command and records the \
            stage as killed.
            """)

    @Argument(help: "The pipeline file (TOML).")
    var pipeline: String

    @Flag(help: "Print which stages would run and why, and exit.")
    var dryRun = false

    @Flag(
        help: "Reuse a finished stage whose identity differs only in the code that made it (when you know a code change cannot matter to its output)."
    )
    var reuseAcrossVersions = false

    @Flag(help: "Do not echo the stages' command output (it is always in the stage logs).")
    var quiet = false

    @OptionGroup var store: StoreOptions

    func run() throws {
        let definition = try PipelineDefinition.load(path: pipeline)
        let interrupts = InterruptMonitor()
        let runner = PipelineRunner(
            pipeline: definition, store: try store.open(), factory: FactoryExecutable.path,
            code: try PipelineRunner.codeDigest(ofExecutable: FactoryExecutable.path), reuseAcrossVersions: reuseAcrossVersions,
            echo: !quiet, interrupts: interrupts)
        if dryRun {
            let plan = try runner.plan()
            print("pipeline \(definition.name) (\(definition.source)), workspace \(runner.workspace)")
            let rows = plan.map { [$0.stage.name, $0.stage.kind, $0.decision.action, $0.decision.explanation] }
            for line in TextTable.render(header: ["stage", "kind", "action", "why"], rows: rows) { print(line) }
            let work = plan.filter { $0.decision.action != "skip" }.count
            print(work == 0 ? "nothing to do: all \(plan.count) stages are up to date" : "\(work) of \(plan.count) stages would run")
            return
        }
        interrupts.install()
        let started = ProgressReporter.monotonicSeconds()
        let results = try runner.run { event in
            switch event {
            case .decided(let stage, let position, let count, let decision):
                print("[\(position)/\(count)] \(stage.name) (\(stage.kind)): \(decision.action) — \(decision.explanation)")
            case .finished(let stage, let output, let seconds):
                print("[\(stage.name)] finished in \(ProgressReporter.formatDuration(seconds)) -> \(output.folder)")
            case .failed(let stage, let message, let seconds):
                print("[\(stage.name)] FAILED after \(ProgressReporter.formatDuration(seconds)): \(message)")
            case .abandoned(let run):
                print("[\(run.name)] run \(run.id) was left running by a runner that is gone; recorded as killed")
            }
            // The stages' own output goes straight to standard output; keep the order.
            fflush(nil)
        }
        print()
        let rows = results.map { result -> [String] in
            let outcome =
                result.failure == nil
                ? (result.output == nil ? result.decision.action : result.seconds > 0 ? "ran" : "skipped")
                : (interrupts.interrupted && result.stage.name == results.last?.stage.name ? "interrupted" : "failed")
            return [
                result.stage.name, outcome, result.seconds > 0 ? ProgressReporter.formatDuration(result.seconds) : "-", result.output?.folder ?? "",
            ]
        }
        for line in TextTable.render(header: ["stage", "outcome", "time", "output"], rows: rows) { print(line) }
        let ran = results.filter { $0.seconds > 0 && $0.failure == nil }.count
        let failed = results.filter { $0.failure != nil }
        let total = ProgressReporter.formatDuration(ProgressReporter.monotonicSeconds() - started)
        if interrupts.interrupted {
            print("interrupted after \(total); finished stages are kept, `factory run \(pipeline)` resumes")
            throw ExitCode(130)
        }
        if !failed.isEmpty {
            print(
                "\(failed.count) stage(s) failed (\(failed.map(\.stage.name).joined(separator: ", "))); \(ran) ran; \(total). Fix and re-run: finished stages are kept."
            )
            throw ExitCode.failure
        }
        print(ran == 0 ? "nothing to do: all \(results.count) stages are up to date (\(total))" : "\(ran) of \(results.count) stages ran in \(total)")
        for result in results where result.stage.kind == "report" {
            if let output = result.output { print("report: \(output.folder)/report.html (and report.md)") }
        }
    }
}
