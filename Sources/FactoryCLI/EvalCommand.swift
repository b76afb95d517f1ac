import ArgumentParser

/// `factory eval`: evaluating a checkpoint is the default (`factory eval --model DIR …` runs
/// `factory eval run`); the other subcommands work on what evaluation reads.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Evaluate a checkpoint: per-domain held-out loss, or capability suites.",
        subcommands: [EvalRunCommand.self, EvalTasksCommand.self], defaultSubcommand: EvalRunCommand.self)
}
