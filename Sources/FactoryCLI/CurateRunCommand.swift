import ArgumentParser
import Curation
import Documents
import FactoryCore
import Foundation
import Lineage
import Tensors

/// `factory curate run`: curates a corpus folder into a corpus folder of the same layout (quality
/// scores, heuristic filters, deduplication, bucket selection) with `curation.json`.
struct CurateRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Curate a corpus folder: score, filter, deduplicate and select by quality bucket.",
        discussion: """
            Writes OUTPUT/DOMAIN/train.jsonl (the kept documents with their quality metadata), copies \
            OUTPUT/DOMAIN/validation.jsonl unchanged, and writes OUTPUT/curation.json (what each step removed by \
            source, domain and quality bucket). Render the report with `factory curate report`.
            """)

    @Option(help: "The curation TOML file (see examples/curate.toml).")
    var config: String

    @Option(help: "A corpus folder (DOMAIN/train.jsonl and validation.jsonl).")
    var corpus: String

    @Option(help: "The models folder written by `factory curate quality train`.")
    var quality: String

    @Option(help: "The curated corpus folder (created if missing).")
    var output: String

    @Option(help: "Threads (default: every core); the output does not depend on it.")
    var threads: Int?

    @OptionGroup var store: StoreOptions

    /// The report's file name in the output folder.
    static let reportFile = "curation.json"

    func run() throws {
        let started = ProgressReporter.monotonicSeconds()
        let settings = try CurationConfig.load(path: config)
        let parts = try CorpusFolderLayout.parts(of: corpus)
        let models = try QualityModels.read(directory: quality)
        let pool = ThreadPool(threadCount: threads ?? HostInfo.activeCores)
        let inputs = [StageArtifact(path: config, kind: "config", role: "config")]
            + QualityAxis.allCases.map {
                StageArtifact(path: QualityModels.path(of: $0, in: quality), kind: "quality-model", role: "\($0.rawValue)-classifier")
            }
            + parts.map { StageArtifact(path: $0.trainPath, kind: "dataset", role: "documents", name: "\($0.name)/train.jsonl") }
        var outcome: (result: Curator.Result, readSeconds: Double, writeSeconds: Double)?
        try store.recordStage(
            kind: "curate-run", name: URL(fileURLWithPath: output).lastPathComponent,
            config: try CurateCommandSupport.runConfig(path: config), inputs: inputs
        ) {
            let readStarted = ProgressReporter.monotonicSeconds()
            let byPart = try CorpusFolderLayout.readTraining(parts, pool: pool)
            let readSeconds = ProgressReporter.monotonicSeconds() - readStarted
            let documents = byPart.flatMap { $0 }
            let progress = ProgressReporter(label: "score", total: documents.count, unit: "docs")
            var result = try Curator(config: settings, models: models, pool: pool).curate(documents) { progress.advance(by: $0) }
            progress.finish()
            result.report.corpus = corpus
            result.report.config = config
            result.report.models = quality
            let writeStarted = ProgressReporter.monotonicSeconds()
            var kept = [[Document]]()
            var offset = 0
            for part in byPart {
                kept.append((offset..<(offset + part.count)).filter { result.fates[$0] == .kept }.map { result.documents[$0] })
                offset += part.count
            }
            try CurateCommandSupport.createDirectory(output)
            let written = try CorpusFolderLayout.write(training: kept, parts: parts, to: output)
            let reportPath = "\(output)/\(Self.reportFile)"
            try JSONArtifact.write(result.report, toPath: reportPath)
            outcome = (result, readSeconds, ProgressReporter.monotonicSeconds() - writeStarted)
            return written.map { StageArtifact(path: $0, kind: "dataset", role: "documents", name: String($0.dropFirst(output.count + 1))) }
                + [StageArtifact(path: reportPath, kind: "report", role: "curation-report")]
        }
        let (result, readSeconds, writeSeconds) = outcome!
        let report = result.report
        print(TextTable.render(
            header: ["step", "documents", "est. tokens"],
            rows: report.total.remaining.map { [$0.step, String($0.counts.documents), String($0.counts.tokens)] }
        ).joined(separator: "\n"))
        print()
        print(TextTable.render(
            header: ["bucket", "keep", "input", "filtered", "exact dup", "near dup", "deselected", "kept", "kept tokens"],
            rows: report.buckets.map { bucket in
                let funnel = report.byBucket[String(bucket.bucket)] ?? CurationFunnel()
                return [
                    String(bucket.bucket), String(format: "%.2f", bucket.keepFraction), String(funnel.input.documents),
                    String(funnel.filtered.documents), String(funnel.exactDuplicates.documents), String(funnel.nearDuplicates.documents),
                    String(funnel.deselected.documents), String(funnel.kept.documents), String(funnel.kept.tokens),
                ]
            }
        ).joined(separator: "\n"))
        let steps = [("read", readSeconds)] + result.timings.map { ($0.step, $0.seconds) } + [("write", writeSeconds)]
        print()
        print("time: " + steps.map { "\($0.0) \(String(format: "%.2f", $0.1)) s" }.joined(separator: ", "))
        let elapsed = ProgressReporter.monotonicSeconds() - started
        print("curated in \(ProgressReporter.formatDuration(elapsed)) on \(pool.threadCount) threads; output: \(output), report: \(output)/\(Self.reportFile)")
    }
}
