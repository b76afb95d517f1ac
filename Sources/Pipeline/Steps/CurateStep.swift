import Curation
import Documents
import FactoryCore
import Foundation
import Lineage
import Tensors

/// `factory curate run` as a library call: curates a corpus folder into a corpus folder of the
/// same layout with `curation.json` (``CorpusFolderCuration``), recorded as a `curate-run` run
/// that used the config, the quality models and the training documents and produced the curated
/// files and the report.
public struct CurateStep: Sendable {
    /// The curation TOML file.
    public var config: String
    /// The corpus folder (`DOMAIN/train.jsonl` and `validation.jsonl`).
    public var corpus: String
    /// The models folder written by the quality step.
    public var quality: String
    /// The curated corpus folder (created when missing).
    public var output: String
    /// Threads (default: every core); the output does not depend on it.
    public var threads: Int?

    public init(config: String, corpus: String, quality: String, output: String, threads: Int? = nil) {
        self.config = config
        self.corpus = corpus
        self.quality = quality
        self.output = output
        self.threads = threads
    }

    /// The threads the step uses.
    public var threadCount: Int { threads ?? HostInfo.activeCores }

    /// Curates and records the run in `store`.
    public func run(in store: FactoryStore) throws -> (record: StageRecord, outcome: CorpusFolderCuration.Outcome) {
        let parts = try CorpusFolderLayout.parts(of: corpus)
        let curation = CorpusFolderCuration(
            config: try CurationConfig.load(path: config), configFile: config, models: try QualityModels.read(directory: quality),
            modelsFolder: quality, pool: ThreadPool(threadCount: threadCount))
        let inputs =
            [StageArtifact(path: config, kind: "config", role: "config")]
            + QualityAxis.allCases.map {
                StageArtifact(path: QualityModels.path(of: $0, in: quality), kind: "quality-model", role: "\($0.rawValue)-classifier")
            }
            + parts.map { StageArtifact(path: $0.trainPath, kind: "dataset", role: "documents", name: "\($0.name)/train.jsonl") }
        var outcome: CorpusFolderCuration.Outcome?
        let record = try store.recordStage(
            kind: "curate-run", name: URL(fileURLWithPath: output).lastPathComponent, config: try RunConfigFile.load(config), inputs: inputs
        ) {
            let curated = try curation.curate(corpus: corpus, parts: parts, output: output)
            outcome = curated
            return curated.written.map {
                StageArtifact(path: $0, kind: "dataset", role: "documents", name: String($0.dropFirst(output.count + 1)))
            } + [StageArtifact(path: curated.reportPath, kind: "report", role: "curation-report")]
        }
        return (record, outcome!)
    }
}
