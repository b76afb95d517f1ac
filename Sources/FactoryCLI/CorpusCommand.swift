import ArgumentParser
import Corpus
import FactoryCore
import Foundation
import Lineage

/// `factory corpus`: domain corpora as JSON Lines documents.
struct CorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Build domain corpora (JSON Lines documents with provenance) from the sources of a TOML file.",
        subcommands: [CorpusBuildCommand.self]
    )
}

/// `factory corpus build`: reads the sources of a corpus TOML file and writes per-domain train and
/// validation JSON Lines files plus `manifest.json`.
struct CorpusBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build per-domain train/validation JSON Lines files and a manifest.")

    @Option(help: "The corpus configuration (TOML).")
    var config = "corpora/local.toml"

    @Option(help: "The output folder.")
    var out = ".factory/corpus"

    @Option(help: "At most this many documents per source (on top of each source's max_docs).")
    var maxDocsPerSource: Int?

    @OptionGroup var store: StoreOptions

    func run() throws {
        let started = ProgressReporter.monotonicSeconds()
        let builder = CorpusBuilder(config: try CorpusConfig.load(path: config), configFile: config, maxDocsPerSource: maxDocsPerSource)
        var settings = ["corpus": try RunConfigFile.load(config).value]
        if let maxDocsPerSource { settings["max_docs_per_source"] = .integer(maxDocsPerSource) }
        let sources = try builder.sourceFiles().map {
            StageArtifact(
                listing: $0.selection.files, under: $0.selection.root, kind: "source", role: "source", name: $0.source,
                metadata: $0.provenance)
        }
        var built: CorpusManifest?
        try store.recordStage(
            kind: "corpus-build", name: URL(fileURLWithPath: config).lastPathComponent, config: RunConfig(value: .table(settings)),
            inputs: [StageArtifact(path: config, kind: "config", role: "config")] + sources
        ) {
            let manifest = try builder.build(outputDirectory: out)
            built = manifest
            return [StageArtifact(path: out, kind: "corpus", role: "corpus")]
                + manifest.documentFiles.map { StageArtifact(path: "\(out)/\($0)", kind: "dataset", role: "documents", name: $0) }
        }
        let manifest = built!
        let elapsed = ProgressReporter.monotonicSeconds() - started
        print("domain      split        docs        bytes")
        for domain in manifest.domains.keys.sorted() {
            let stats = manifest.domains[domain]!
            for (name, file) in [("train", stats.train), ("validation", stats.validation)] {
                print(
                    domain.padding(toLength: 11, withPad: " ", startingAt: 0) + " "
                        + name.padding(toLength: 10, withPad: " ", startingAt: 0)
                        + String(format: " %8d %12d", file.documents, file.textBytes))
            }
        }
        let documents = manifest.sources.reduce(0) { $0 + $1.documents }
        let bytes = manifest.sources.reduce(0) { $0 + $1.textBytes }
        print("total: \(documents) documents, \(bytes) bytes of text in \(ProgressReporter.formatDuration(elapsed)); manifest: \(out)/manifest.json")
    }
}
