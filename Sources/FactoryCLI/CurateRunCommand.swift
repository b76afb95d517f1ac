import ArgumentParser
import Curation
import Documents
import FactoryCore
import Foundation
import Pipeline

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

    func validate() throws {
        if let threads { try ThreadsOption.validate(threads) }
    }

    func run() throws {
        let started = ProgressReporter.monotonicSeconds()
        let step = CurateStep(config: config, corpus: corpus, quality: quality, output: output, threads: threads)
        let (record, outcome) = try step.run(in: store.open())
        store.printLineage(record)
        let result = outcome.result
        let report = result.report
        print(
            TextTable.render(
                header: ["step", "documents", "est. tokens"],
                rows: report.total.remaining.map { [$0.step, String($0.counts.documents), String($0.counts.tokens)] }
            ).joined(separator: "\n"))
        print()
        print(
            TextTable.render(
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
        let steps = [("read", outcome.readSeconds)] + result.timings.map { ($0.step, $0.seconds) } + [("write", outcome.writeSeconds)]
        print()
        print("time: " + steps.map { "\($0.0) \(String(format: "%.2f", $0.1)) s" }.joined(separator: ", "))
        let elapsed = ProgressReporter.monotonicSeconds() - started
        print(
            "curated in \(ProgressReporter.formatDuration(elapsed)) on \(step.threadCount) threads; output: \(output), report: \(outcome.reportPath)")
    }
}
