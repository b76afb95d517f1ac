import ArgumentParser
import FactoryCore
import Foundation
import Runs

/// `factory experiment …`: controlled comparisons recorded in the lineage store.
struct ExperimentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "Run controlled comparisons whose runs all land in the lineage store.",
        subcommands: [Optimizers.self])

    /// `factory experiment optimizers --config base.toml`.
    struct Optimizers: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "optimizers",
            abstract: "AdamW against Muon on the same model, data, batch and seeds, with a learning-rate sweep for each.",
            discussion: """
                Reports each optimizer's best learning rate, its final validation loss, and the steps it needs to reach \
                the target (by default, per seed, AdamW's final eval/loss at its best learning rate) as mean ± std over \
                seeds. Afterwards: factory ablate --metric eval/loss --factors optimizer.name,optimizer.lr \
                --where tag=optimizer-experiment:<output folder name>.
                """)

        @Option(help: "The base run file; it must have validation data and train.eval_every.")
        var config: String

        @Option(help: "Seeds per optimizer and learning rate (from the base file's train.seed on).")
        var seeds = 3

        @Option(help: "Comma-separated learning rates tried for every optimizer (default: the base lr × 0.5, 1, 2).")
        var lrs: String?

        @Option(help: "Comma-separated optimizers.")
        var optimizers = "adamw,muon"

        @Option(help: "A fixed target eval/loss (default: AdamW's final loss at its best lr, per seed).")
        var target: Double?

        @Option(help: "Folder for the runs (default: the base file's train.output + /optimizers).")
        var output: String?

        @Option(help: "Threads per run (default: the base file's train.threads, else all cores).")
        var threads: Int?

        @OptionGroup var store: StoreOptions

        func run() throws {
            func list(_ text: String) -> [String] { text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            let rates = try lrs.map { text in
                try list(text).map { item in
                    guard let rate = Double(item) else { throw ValidationError("--lrs: '\(item)' is not a number") }
                    return rate
                }
            }
            let experiment = OptimizerExperiment(
                baseRunFile: config, optimizers: list(optimizers), learningRates: rates, seeds: seeds, target: target,
                output: output, threads: threads)
            let report = try experiment.run(store: try store.open()) { ProgressReporter.writeToStandardError($0 + "\n") }
            print()
            print(report.renderText())
        }
    }
}
