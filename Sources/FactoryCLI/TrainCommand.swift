import ArgumentParser
import Execution
import Runs
import Training

/// `factory train --config run.toml`.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a Laguna model as a run file says, recording the run, its inputs, metrics and checkpoint.",
        discussion: """
            With train.replicas = R > 1 in the run file, R data-parallel replicas train as threads, their weights and \
            optimizer state hash-checked every train.check_every steps (SHA-256 at checkpoints); a mismatch names the odd \
            replica (by majority; with two replicas, by the replay if checked in the fault's step), is recorded as a run event and rolls every replica back to the last verified state.
            """)

    @Option(help: "The run file (TOML: [model], [data], [optimizer], [schedule], [train]).")
    var config: String

    @Flag(help: "Continue from the newest checkpoint in the run's output folder.")
    var resume = false

    @Flag(
        help:
            "With --resume: continue even though settings exact resumption depends on (optimizer, schedule, batch, sequence length, seed, data, …) differ from the checkpoint's; the change is recorded as a run event."
    )
    var allowConfigChange = false

    @Flag(help: "List which optimizer, learning rate and weight decay each parameter gets, and exit without training.")
    var dryRun = false

    @Option(help: "Threads (default: the run file's train.threads, else all cores; shared by the replicas).")
    var threads: Int?

    @Option(
        help: ArgumentHelp(
            "A drill for replicated runs (repeatable): flip one bit once, e.g. \"replica=1,step=37,tensor=NAME,bit=K\"; optional element=E (default 0) and target=weights|gradient|optimizer (default weights; optimizer tensors as adamw.m/NAME, adamw.v/NAME or muon.momentum/NAME).",
            valueName: "fault"))
    var injectFault: [String] = []

    @OptionGroup var store: StoreOptions

    /// The parsed options as the typed invocation that sweeps and pipelines build command lines
    /// from (one definition for both sides).
    var invocation: TrainInvocation {
        TrainInvocation(
            config: config, resume: resume, allowConfigChange: allowConfigChange, dryRun: dryRun, threads: threads, injectFaults: injectFault,
            store: store.path)
    }

    func run() throws {
        let invocation = self.invocation
        if invocation.dryRun {
            print(try TrainingRun.optimizerPlan(runFile: invocation.config).renderText())
            return
        }
        let injections = try invocation.injectFaults.map(FaultInjection.init(parsing:))
        let opened = try store.open()
        let id = try TrainingRun.execute(
            runFile: invocation.config, store: opened, resume: invocation.resume, allowConfigChange: invocation.allowConfigChange,
            threads: invocation.threads, injections: injections)
        for event in try opened.records.events(ofRun: id) where [.integrityFault, .rollback, .warning].contains(event.kind) {
            print("\(event.kind.rawValue)\(event.step.map { " at step \($0)" } ?? ""): \(event.message)")
        }
        print("run \(id) finished")
    }
}
