import Evaluation
import FactoryCore
import Foundation
import Lineage

/// `factory eval --output` as a library call: a checkpoint's per-domain held-out loss on a
/// validation shard folder (``EvaluationResults``), written as `eval.json` (canonical JSON) and
/// recorded as an `eval` run that used the checkpoint and the shards and produced the results.
public struct EvalStep: Sendable {
    /// The checkpoint folder.
    public var model: String
    /// The validation shard folder.
    public var data: String
    /// The tokenizer that encoded the shards (default: the checkpoint's).
    public var tokenizer: String?
    /// How the streams are cut into windows.
    public var settings: EvaluationResults.Settings
    /// The results file to write.
    public var output: String

    public init(model: String, data: String, tokenizer: String? = nil, settings: EvaluationResults.Settings, output: String) {
        self.model = model
        self.data = data
        self.tokenizer = tokenizer
        self.settings = settings
        self.output = output
    }

    /// Evaluates, writes `output` atomically and records the run in `store`.
    public func run(in store: FactoryStore) throws -> (record: StageRecord, results: EvaluationResults) {
        let inputs = [
            StageArtifact(path: model, kind: "checkpoint", role: "model"), StageArtifact(path: data, kind: "shard-set", role: "validation"),
        ]
        var results: EvaluationResults?
        let record = try store.recordStage(
            kind: "eval", name: URL(fileURLWithPath: output).lastPathComponent, config: RunConfig(value: settings.value), inputs: inputs
        ) {
            let evaluated = try EvaluationResults.evaluate(checkpoint: model, shards: data, tokenizer: tokenizer, settings: settings)
            try AtomicFile.write(Data((try CanonicalJSON.encode(evaluated.value) + "\n").utf8), toPath: output)
            results = evaluated
            return [StageArtifact(path: output, kind: "evaluation", role: "results")]
        }
        return (record, results!)
    }
}
