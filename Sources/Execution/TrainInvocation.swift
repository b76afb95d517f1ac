/// The options of `factory train`, typed: the command parses its arguments into this value, and
/// whatever runs a training run as a `factory train` process (proxy sweeps, the pipeline's
/// `train` stage) builds its command line from one with ``arguments``. A flag renamed on one
/// side and not the other fails the round-trip test in FactoryCLITests.
///
/// Training runs go through a process of their own, not a library call, for isolation (a crash
/// or an out-of-memory kill ends one run, not the sweep), parallelism (one process per proxy)
/// and resumption (`--resume` continues from the newest checkpoint).
public struct TrainInvocation: Sendable, Equatable {
    /// The run file (`--config`).
    public var config: String
    /// Continue from the newest checkpoint in the run's output folder (`--resume`).
    public var resume: Bool
    /// Resume even though settings that exact resumption depends on changed, recording the change
    /// (`--allow-config-change`).
    public var allowConfigChange: Bool
    /// List the optimizer plan and exit without training (`--dry-run`).
    public var dryRun: Bool
    /// Threads (`--threads`; default: the run file's, else all cores).
    public var threads: Int?
    /// Fault drills, each as `factory train --inject-fault` takes it.
    public var injectFaults: [String]
    /// The lineage store (`--store`; default: the command's).
    public var store: String?

    public init(
        config: String, resume: Bool = false, allowConfigChange: Bool = false, dryRun: Bool = false, threads: Int? = nil,
        injectFaults: [String] = [], store: String? = nil
    ) {
        self.config = config
        self.resume = resume
        self.allowConfigChange = allowConfigChange
        self.dryRun = dryRun
        self.threads = threads
        self.injectFaults = injectFaults
        self.store = store
    }

    /// The command line after the executable: `train --config …` and the options that are set.
    public var arguments: [String] {
        var arguments = ["train", "--config", config]
        if resume { arguments.append("--resume") }
        if allowConfigChange { arguments.append("--allow-config-change") }
        if dryRun { arguments.append("--dry-run") }
        if let threads { arguments += ["--threads", String(threads)] }
        for fault in injectFaults { arguments += ["--inject-fault", fault] }
        if let store { arguments += ["--store", store] }
        return arguments
    }
}
