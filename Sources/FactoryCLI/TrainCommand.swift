import ArgumentParser
import Training

/// `factory train --config run.toml`.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a Laguna model as a run file says, recording the run, its inputs, metrics and checkpoint.")

    @Option(help: "The run file (TOML: [model], [data], [optimizer], [schedule], [train]).")
    var config: String

    @Flag(help: "Continue from the newest checkpoint in the run's output folder.")
    var resume = false

    @Flag(help: "List which optimizer, learning rate and weight decay each parameter gets, and exit without training.")
    var dryRun = false

    @Option(help: "Threads (default: the run file's train.threads, else all cores).")
    var threads: Int?

    @OptionGroup var store: StoreOptions

    func run() throws {
        if dryRun {
            print(try TrainingRun.optimizerPlan(runFile: config).renderText())
            return
        }
        let id = try TrainingRun.execute(runFile: config, store: try store.open(), resume: resume, threads: threads)
        print("run \(id) finished")
    }
}
