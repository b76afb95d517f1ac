/// How one completed program fared against its test.
public struct CodeRunOutcome: Sendable, Equatable, Codable {
    /// Whether the program with its test ran to exit status 0 within the runner's limits.
    public var passed: Bool
    /// Why it failed, in words a report can show (`exit status 1`, `killed: CPU time limit`,
    /// the tail of its standard error); empty when it passed.
    public var detail: String

    /// An outcome.
    public init(passed: Bool, detail: String = "") {
        self.passed = passed
        self.detail = detail
    }
}

/// Runs a model's program against a task's test, somewhere it cannot hurt the machine.
///
/// The capability evaluator hands it `program` (the task's prompt followed by the model's
/// completion), `test` (the task's Python source that asserts on the program) and the task's
/// `entryPoint` (the function under test, when the task names one). Whatever the program does,
/// looping, forking, allocating or writing outside its scratch space, the runner reports it as a
/// failure (`passed == false`) and returns; it throws only when it cannot run programs at all
/// (its sandbox is unavailable), which stops the evaluation rather than scoring every sample 0.
/// Calls may come from several threads at once.
public protocol CodeRunner: Sendable {
    /// Runs `program` followed by `test`; passed means exit status 0.
    func passes(program: String, test: String, entryPoint: String?) throws -> CodeRunOutcome
}
