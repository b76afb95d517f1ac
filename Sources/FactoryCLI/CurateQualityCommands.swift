import ArgumentParser
import Curation
import Documents
import FactoryCore
import Foundation
import Lineage
import Tensors

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

    func run() throws {
        let started = ProgressReporter.monotonicSeconds()
        let settings = try CurationConfig.load(path: config)
        let parts = try CorpusFolderLayout.parts(of: corpus)
        let pool = ThreadPool(threadCount: threads ?? HostInfo.activeCores)
        let labelFiles = [settings.noise.labels, settings.information.labels].compactMap { $0 }
        let inputs = [StageArtifact(path: config, kind: "config", role: "config")]
            + parts.map { StageArtifact(path: $0.trainPath, kind: "dataset", role: "documents", name: "\($0.name)/train.jsonl") }
            + labelFiles.map { StageArtifact(path: $0, kind: "dataset", role: "labels") }
        var trained: QualityModels?
        try store.recordStage(
            kind: "curate-quality-train", name: URL(fileURLWithPath: output).lastPathComponent,
            config: try CurateCommandSupport.runConfig(path: config), inputs: inputs
        ) {
            let documents = try CorpusFolderLayout.readTraining(parts, pool: pool).flatMap { $0 }
            let data = QualityTrainingData(config: settings, configFile: config)
            let trainer = QualityClassifierTrainer(
                features: settings.features, l2: settings.training.l2, maxIterations: settings.training.maxIterations,
                heldOutFraction: settings.training.heldOutFraction, seed: settings.seed, pool: pool)
            let noise = try data.noiseExamples(corpus: documents)
            print("noise: \(noise.examples.count) examples (\(noise.labels)); training")
            let noiseModel = try trainer.train(axis: .noise, examples: noise.examples, labels: noise.labels)
            let information = try data.informationExamples(corpus: documents)
            print("information: \(information.examples.count) examples (\(information.labels)); training")
            let informationModel = try trainer.train(axis: .information, examples: information.examples, labels: information.labels)
            try CurateCommandSupport.createDirectory(output)
            let models = QualityModels(noise: noiseModel, information: informationModel)
            try models.write(directory: output)
            trained = models
            return QualityAxis.allCases.map {
                StageArtifact(path: QualityModels.path(of: $0, in: output), kind: "quality-model", role: "\($0.rawValue)-classifier")
            }
        }
        let models = trained!
        let rows = [models.noise, models.information].map { model in
            let summary = model.training
            return [
                model.axis.rawValue, model.axis.positiveClass, summary.labels, String(summary.trainingExamples), String(summary.heldOutExamples),
                String(format: "%.4f", summary.heldOutAUC), "\(summary.iterations)\(summary.converged ? "" : " (limit)")",
            ]
        }
        TextTable.render(header: ["axis", "positive", "labels", "train", "held-out", "AUC", "iterations"], rows: rows).forEach { print($0) }
        let elapsed = ProgressReporter.monotonicSeconds() - started
        print("trained in \(ProgressReporter.formatDuration(elapsed)); models: \(output)/noise.json, \(output)/information.json")
    }
}
