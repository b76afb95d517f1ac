import Corpus
import FactoryCore
import Foundation
import Lineage

/// `factory corpus build` as a library call: builds per-domain train and validation JSON Lines
/// files and `manifest.json` from a corpus config's sources, recorded as a `corpus-build` run
/// that used the config and each source's files and produced the corpus and its document files.
public struct CorpusBuildStep: Sendable {
    /// The corpus configuration (TOML).
    public var config: String
    /// The output folder.
    public var output: String
    /// At most this many documents per source (on top of each source's `max_docs`).
    public var maxDocsPerSource: Int?

    public init(config: String, output: String, maxDocsPerSource: Int? = nil) {
        self.config = config
        self.output = output
        self.maxDocsPerSource = maxDocsPerSource
    }

    /// Builds the corpus and records the run in `store`.
    public func run(in store: FactoryStore) throws -> (record: StageRecord, manifest: CorpusManifest) {
        let builder = CorpusBuilder(config: try CorpusConfig.load(path: config), configFile: config, maxDocsPerSource: maxDocsPerSource)
        var settings = ["corpus": try RunConfigFile.load(config).value]
        if let maxDocsPerSource { settings["max_docs_per_source"] = .integer(maxDocsPerSource) }
        let sources = try builder.sourceFiles().map {
            StageArtifact(
                listing: $0.selection.files, under: $0.selection.root, kind: "source", role: "source", name: $0.source,
                metadata: $0.provenance)
        }
        var built: CorpusManifest?
        let record = try store.recordStage(
            kind: "corpus-build", name: URL(fileURLWithPath: config).lastPathComponent, config: RunConfig(value: .table(settings)),
            inputs: [StageArtifact(path: config, kind: "config", role: "config")] + sources
        ) {
            let manifest = try builder.build(outputDirectory: output)
            built = manifest
            return [StageArtifact(path: output, kind: "corpus", role: "corpus")]
                + manifest.documentFiles.map { StageArtifact(path: "\(output)/\($0)", kind: "dataset", role: "documents", name: $0) }
        }
        return (record, built!)
    }
}
