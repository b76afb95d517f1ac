/// Runs a model's program against a task's test somewhere it cannot hurt the machine.
///
/// The capability evaluator hands it `program` (the task's prompt followed by the model's
/// completion), `test` (the task's Python source that asserts on the program) and the task's
/// `entryPoint` (the function under test, when the task names one). Whatever the program does
/// (looping, forking, allocating, writing outside its scratch space, printing without end) the
/// runner reports it as an outcome other than ``CodeRunOutcome/passed`` and returns; it throws
/// only when it cannot run programs at all (its sandbox is unavailable), which stops an
/// evaluation rather than scoring every sample 0. Calls may come from several threads at once.
public protocol CodeRunner: Sendable {
    /// Runs `program` followed by `test`; passed means exit status 0.
    func passes(program: String, test: String, entryPoint: String?) throws -> CodeRunOutcome
}
