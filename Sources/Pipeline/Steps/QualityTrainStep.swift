import Curation
import Documents
import FactoryCore
import Foundation
import Lineage
import Tensors

/// `factory curate quality train` as a library call: the noise and information classifiers,
/// trained on a corpus folder as the curation config says, recorded as a `curate-quality-train`
/// run that used the config, the training documents and any label files and produced the models.
public struct QualityTrainStep: Sendable {
    /// The curation TOML file.
    public var config: String
    /// The corpus folder (`DOMAIN/train.jsonl`).
    public var corpus: String
    /// The folder for `noise.json` and `information.json` (created when missing).
    public var output: String
    /// Threads (default: every core); the models do not depend on it.
    public var threads: Int?

    public init(config: String, corpus: String, output: String, threads: Int? = nil) {
        self.config = config
        self.corpus = corpus
        self.output = output
        self.threads = threads
    }

    /// Trains both models and records the run in `store`; `note` is told what each axis trains on.
    public func run(in store: FactoryStore, note: (String) -> Void) throws -> (record: StageRecord, models: QualityModels) {
        let settings = try CurationConfig.load(path: config)
        let parts = try CorpusFolderLayout.parts(of: corpus)
        let pool = ThreadPool(threadCount: threads ?? HostInfo.activeCores)
        let labelFiles = [settings.noise.labels, settings.information.labels].compactMap { $0 }
        let inputs =
            [StageArtifact(path: config, kind: "config", role: "config")]
            + parts.map { StageArtifact(path: $0.trainPath, kind: "dataset", role: "documents", name: "\($0.name)/train.jsonl") }
            + labelFiles.map { StageArtifact(path: $0, kind: "dataset", role: "labels") }
        var trained: QualityModels?
        let record = try store.recordStage(
            kind: "curate-quality-train", name: URL(fileURLWithPath: output).lastPathComponent, config: try RunConfigFile.load(config),
            inputs: inputs
        ) {
            let models = try QualityModels.train(config: settings, configFile: config, parts: parts, output: output, pool: pool, note: note)
            trained = models
            return QualityAxis.allCases.map {
                StageArtifact(path: QualityModels.path(of: $0, in: output), kind: "quality-model", role: "\($0.rawValue)-classifier")
            }
        }
        return (record, trained!)
    }
}
