/// The options of `factory eval --suites capabilities`, typed: whatever scores a checkpoint on the
/// capability suites as a `factory eval` process (the proxies of a sweep, the pipeline's `eval`
/// stage) builds its command line from one with ``arguments``.
///
/// The evaluation runs in a process of its own for the reasons training does (``TrainInvocation``):
/// a crash ends one proxy's evaluation, not the sweep, and the sweep's workers run in parallel.
public struct CapabilityEvalInvocation: Sendable, Equatable {
    /// The checkpoint folder (`--model`).
    public var model: String
    /// The task folder (`--tasks`).
    public var tasks: String
    /// The results file (`--output`; also records the evaluation in the lineage store).
    public var output: String
    /// At most this many documents per task file (`--max-documents`; default: the command's).
    public var maxDocuments: Int?
    /// The lineage store (`--store`; default: the command's).
    public var store: String?

    public init(model: String, tasks: String, output: String, maxDocuments: Int? = nil, store: String? = nil) {
        self.model = model
        self.tasks = tasks
        self.output = output
        self.maxDocuments = maxDocuments
        self.store = store
    }

    /// The command line after the executable: `eval --model … --suites capabilities --tasks …
    /// --output …` and the options that are set.
    public var arguments: [String] {
        var arguments = ["eval", "--model", model, "--suites", "capabilities", "--tasks", tasks, "--output", output]
        if let maxDocuments { arguments += ["--max-documents", String(maxDocuments)] }
        if let store { arguments += ["--store", store] }
        return arguments
    }
}
