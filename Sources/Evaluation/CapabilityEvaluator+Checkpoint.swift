import FactoryCore
import Inference
import Models

extension CapabilityEvaluator {
    /// Evaluates the checkpoint folder `checkpoint` (its model, its `tokenizer.json` and its
    /// end-of-sequence tokens, as `ModelFolder` reads them) on the task files of `tasks`
    /// (``TaskFolder``).
    ///
    /// Refused before anything runs: the errors of `ModelFolder.read` and
    /// ``TaskFolder/read(folder:)``, the settings and tasks ``validate(codeRunner:)`` refuses,
    /// weights that do not fit in memory, and NaN or infinite weights
    /// (``FactoryError/corrupt(path:reason:)`` naming the tensor).
    public static func evaluate(
        checkpoint: String, tasks folder: String, settings: CapabilitySettings, codeRunner: (any CodeRunner)?,
        pool: ThreadPool = .machineWide
    ) throws -> CapabilityResults {
        try settings.validate()
        let tasks = try TaskFolder.read(folder: folder)
        let evaluator = CapabilityEvaluator(tasks: tasks, settings: settings)
        try evaluator.validate(codeRunner: codeRunner)
        let model = try ModelFolder.read(directory: checkpoint)
        try MemoryBudget.require(LagunaMemoryEstimate.weightBytes(model.model.config), for: "loading \(checkpoint)", name: "--model")
        if let bad = NonFiniteValue.first(in: model.model.parameters) {
            throw FactoryError.corrupt(path: checkpoint, reason: "its weights are not finite (\(bad.description)); nothing to evaluate")
        }
        return try evaluator.evaluate(
            model: model.model, tokenizer: model.tokenizer, codeRunner: codeRunner, pool: pool, stopTokens: model.eosTokenIds)
    }
}
