import Documents
import FactoryCore
import Foundation

/// Curates a corpus folder into a corpus folder of the same layout (what `factory curate run` and
/// the pipeline's `curate` stage do): `OUTPUT/DOMAIN/train.jsonl` holds the kept documents with
/// their quality metadata, `OUTPUT/DOMAIN/validation.jsonl` is copied unchanged, and
/// `OUTPUT/curation.json` says what each step removed by source, domain and quality bucket.
public struct CorpusFolderCuration: Sendable {
    /// What a curation did.
    public struct Outcome: Sendable {
        /// The curator's result over all domains (documents, fates, report, timings).
        public let result: Curator.Result
        /// The files written under the output folder (training and validation files).
        public let written: [String]
        /// The report's path.
        public let reportPath: String
        /// Seconds spent reading the input and writing the output.
        public let readSeconds: Double
        public let writeSeconds: Double
    }

    /// The report's file name in the output folder.
    public static let reportFile = "curation.json"

    /// The curation settings.
    public let config: CurationConfig
    /// The file they were read from (recorded in the report).
    public let configFile: String
    /// The quality classifiers and the folder they were read from (recorded in the report).
    public let models: QualityModels
    public let modelsFolder: String
    /// The thread pool; the output does not depend on its size.
    public let pool: ThreadPool

    public init(config: CurationConfig, configFile: String, models: QualityModels, modelsFolder: String, pool: ThreadPool) {
        self.config = config
        self.configFile = configFile
        self.models = models
        self.modelsFolder = modelsFolder
        self.pool = pool
    }

    /// Curates the domain folders `parts` of the corpus folder `corpus` into `output` (created
    /// when missing). Every file is written atomically.
    public func curate(corpus: String, parts: [CorpusFolderPart], output: String) throws -> Outcome {
        let readStarted = ProgressReporter.monotonicSeconds()
        let byPart = try CorpusFolderLayout.readTraining(parts, pool: pool)
        let readSeconds = ProgressReporter.monotonicSeconds() - readStarted
        let documents = byPart.flatMap { $0 }
        let progress = ProgressReporter(label: "score", total: documents.count, unit: "docs")
        var result = try Curator(config: config, models: models, pool: pool).curate(documents) { progress.advance(by: $0) }
        progress.finish()
        result.report.corpus = corpus
        result.report.config = configFile
        result.report.models = modelsFolder
        let writeStarted = ProgressReporter.monotonicSeconds()
        // The curator sees every domain at once; its fates come back in input order, so each
        // domain's kept documents are its own slice of them.
        var kept = [[Document]]()
        var offset = 0
        for part in byPart {
            kept.append((offset..<(offset + part.count)).filter { result.fates[$0] == .kept }.map { result.documents[$0] })
            offset += part.count
        }
        try FilePath.createFolder(output)
        let written = try CorpusFolderLayout.write(training: kept, parts: parts, to: output)
        let reportPath = "\(output)/\(Self.reportFile)"
        try JSONArtifact.write(result.report, toPath: reportPath)
        return Outcome(
            result: result, written: written, reportPath: reportPath, readSeconds: readSeconds,
            writeSeconds: ProgressReporter.monotonicSeconds() - writeStarted)
    }
}
