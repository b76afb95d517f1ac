import ArgumentParser
import Curation
import Documents
import FactoryCore
import Foundation
import Pipeline

/// `factory curate quality`: the two-axis quality classifiers.
struct CurateQualityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quality",
        abstract: "Train the noise and information quality classifiers.",
        subcommands: [CurateQualityTrainCommand.self]
    )
}

/// `factory curate quality train`: trains the noise and information classifiers on a corpus
/// folder as the curation config says, writes `noise.json` and `information.json` into the
/// output folder and prints each axis's held-out AUC.
struct CurateQualityTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the noise and information classifiers (logistic regression on hashed n-grams and heuristic signals).")

    @Option(help: "The curation TOML file (see examples/curate.toml).")
    var config: String

    @Option(help: "A corpus folder (DOMAIN/train.jsonl, as factory corpus build writes it).")
    var corpus: String

    @Option(help: "The folder for noise.json and information.json (created if missing).")
    var output: String

    @Option(help: "Threads (default: every core); the models do not depend on it.")
    var threads: Int?

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if let threads { try ThreadsOption.validate(threads) }
    }

    func run() throws {
        let started = ProgressReporter.monotonicSeconds()
        let (record, models) = try QualityTrainStep(config: config, corpus: corpus, output: output, threads: threads)
            .run(in: store.open()) { print($0) }
        store.printLineage(record)
        let rows = [models.noise, models.information].map { model in
            let summary = model.training
            return [
                model.axis.rawValue, model.axis.positiveClass, summary.labels, String(summary.trainingExamples), String(summary.heldOutExamples),
                String(format: "%.4f", summary.heldOutAUC), "\(summary.iterations)\(summary.converged ? "" : " (limit)")",
            ]
        }
        for line in TextTable.render(header: ["axis", "positive", "labels", "train", "held-out", "AUC", "iterations"], rows: rows) { print(line) }
        let elapsed = ProgressReporter.monotonicSeconds() - started
        print("trained in \(ProgressReporter.formatDuration(elapsed)); models: \(output)/noise.json, \(output)/information.json")
    }
}
