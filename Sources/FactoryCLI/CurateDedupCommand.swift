import ArgumentParser
import Curation
import Documents
import FactoryCore
import Foundation
import Lineage

/// `factory curate dedup`: removes exact and near-duplicate documents, keeping one survivor per
/// cluster by a configurable priority, and reports what was removed by source, domain and quality bucket.
struct CurateDedupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dedup",
        abstract: "Remove exact (normalized-text SHA-256) and near (MinHash LSH) duplicate documents.")

    @Option(parsing: .upToNextOption, help: "JSON Lines document files.")
    var input: [String]

    @Option(help: "The deduplicated JSON Lines file.")
    var output: String

    @Option(help: "A JSON report of the removed documents and counts by source, domain and quality bucket.")
    var report: String?

    @Option(help: "LSH bands.")
    var bands = 14

    @Option(help: "MinHash rows (hash functions) per band.")
    var rows = 8

    @Option(help: "Words per shingle.")
    var thresholdNgram = 5

    @Option(help: "Seed of the MinHash hash functions.")
    var seed: UInt64 = 1

    @Option(
        help: ArgumentHelp(
            "Which member of each duplicate cluster to keep: least-id, highest:KEY or lowest:KEY (a numeric metadata key).",
            discussion: "For example highest:quality_composite keeps the best-scored copy. Documents without KEY rank last; ties keep the least id."))
    var survivor = "least-id"

    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard !input.isEmpty else { throw ValidationError("give at least one --input file") }
        if case (let field, let message)? = MinHashParameters.problem(bands: bands, rows: rows, ngramSize: thresholdNgram) {
            let option: String =
                switch field {
                case .bands: "--bands"
                case .rows: "--rows"
                case .ngramSize: "--threshold-ngram"
                }
            throw ValidationError("invalid \(option): \(message)")
        }
        do { _ = try DedupSurvivorPriority(parsing: survivor, field: "--survivor") } catch let error as FactoryError {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        let started = ProgressReporter.monotonicSeconds()
        let parameters = try MinHashParameters(bands: bands, rows: rows, ngramSize: thresholdNgram, seed: seed)
        let priority = try DedupSurvivorPriority(parsing: survivor, field: "--survivor")
        let settings: [String: ConfigValue] = [
            "bands": .integer(bands), "rows": .integer(rows), "ngram_size": .integer(thresholdNgram),
            "seed": .integer(Int(truncatingIfNeeded: seed)), "survivor": .string(priority.description),
        ]
        var result: DedupReport?
        var unranked = 0
        try store.recordStage(
            kind: "curate-dedup", name: URL(fileURLWithPath: output).lastPathComponent, config: RunConfig(value: .table(settings)),
            inputs: input.map { StageArtifact(path: $0, kind: "dataset", role: "documents") }
        ) {
            let documents = try input.flatMap { try JSONLinesReader.readDocuments(path: $0) }
            if let key = priority.key { unranked = documents.filter { $0.metadata[key] == nil }.count }
            let (kept, report) = try Deduplicator(parameters: parameters, survivorPriority: priority).deduplicate(documents)
            _ = try JSONLinesWriter.write(kept, toPath: output)
            result = report
            var outputs = [StageArtifact(path: output, kind: "dataset", role: "documents")]
            if let path = self.report {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                try AtomicFile.write(try encoder.encode(report), toPath: path)
                outputs.append(StageArtifact(path: path, kind: "report", role: "dedup-report"))
            }
            return outputs
        }
        let report = result!
        print(report.table(report.bySource, heading: "source"))
        print()
        print(report.table(report.byDomain, heading: "domain"))
        if !report.byQualityBucket.isEmpty {
            print()
            print(report.table(report.byQualityBucket, heading: "quality bucket"))
        }
        if let key = priority.key, unranked > 0 {
            print("note: \(unranked) documents have no '\(key)' and rank last when choosing survivors")
        }
        let elapsed = ProgressReporter.monotonicSeconds() - started
        print("kept \(report.total.kept) of \(report.total.input) documents in \(ProgressReporter.formatDuration(elapsed)); output: \(output)")
    }
}
