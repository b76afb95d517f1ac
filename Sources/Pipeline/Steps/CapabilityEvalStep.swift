import Evaluation
import FactoryCore
import Foundation
import Lineage

/// `factory eval --suites capabilities --output` as a library call: a checkpoint scored on a
/// folder of task files (``CapabilityEvaluator``), the results written as JSON and recorded as
/// an `eval` run that used the checkpoint and the task folder and produced the results, with
/// the scores logged as the run's metrics (``CapabilityResults/metrics``, step 0):
/// `eval/<capability>/score`, `eval/<capability>/<metric>`, `eval/task/<task>/<metric>`.
public struct CapabilityEvalStep: Sendable {
    /// The checkpoint folder.
    public var model: String
    /// The folder of task files.
    public var tasks: String
    public var settings: CapabilitySettings
    /// The results file to write.
    public var output: String
    /// Runs the code tasks' tests; `nil` refuses code tasks.
    public var codeRunner: (any CodeRunner)?

    public init(model: String, tasks: String, settings: CapabilitySettings, output: String, codeRunner: (any CodeRunner)?) {
        self.model = model
        self.tasks = tasks
        self.settings = settings
        self.output = output
        self.codeRunner = codeRunner
    }

    /// Evaluates, writes `output` atomically and records the run and its metrics in `store`.
    public func run(in store: FactoryStore) throws -> (record: StageRecord, results: CapabilityResults) {
        let inputs = [StageArtifact(path: model, kind: "checkpoint", role: "model"), StageArtifact(path: tasks, kind: "task-set", role: "tasks")]
        let config = ConfigValue.table(["suites": .string("capabilities"), "settings": settings.value])
        var results: CapabilityResults?
        let record = try store.recordStage(
            kind: "eval", name: URL(fileURLWithPath: output).lastPathComponent, config: RunConfig(value: config), inputs: inputs
        ) {
            let evaluated = try CapabilityEvaluator.evaluate(checkpoint: model, tasks: tasks, settings: settings, codeRunner: codeRunner)
            try JSONArtifact.write(evaluated, toPath: output)
            results = evaluated
            return [StageArtifact(path: output, kind: "evaluation", role: "results")]
        }
        let now = Date()
        let points = results!.metrics.sorted { $0.key < $1.key }.map { MetricPoint(key: $0.key, step: 0, value: $0.value, wallTime: now) }
        try store.records.logMetrics(points, run: record.run.id)
        return (record, results!)
    }
}
