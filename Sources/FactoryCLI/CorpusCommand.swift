import ArgumentParser
import Corpus
import FactoryCore
import Foundation
import Pipeline

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
        let (record, manifest) = try CorpusBuildStep(config: config, output: out, maxDocsPerSource: maxDocsPerSource).run(in: store.open())
        store.printLineage(record)
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
