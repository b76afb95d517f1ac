import Evaluation
import Execution
import FactoryCore
import Foundation

/// `kind = "eval"`: ``EvalStep`` (`factory eval --output`) in this process, of a `train` stage's
/// final checkpoint (input `model`) on the validation shards of a `shards` stage (input
/// `shards`), written to `eval.json`; with a `tasks` input (a `tasks` stage), then the same
/// checkpoint scored on its capability suites by a `factory eval --suites capabilities` process
/// (``CapabilityEvalInvocation``), written to `capabilities.json`. Settings: `sequence_length`,
/// `batch`, `max_sequences`, `max_documents` (per task file; optional).
struct EvalStage: DecodedSettingsStageKind {
    struct Settings: Decodable {
        var sequenceLength: Int?
        var batch: Int?
        var maxSequences: Int?
        var maxDocuments: Int?

        enum CodingKeys: String, CodingKey {
            case sequenceLength = "sequence_length"
            case batch
            case maxSequences = "max_sequences"
            case maxDocuments = "max_documents"
        }
    }

    /// The results file in the stage folder.
    static let resultsFile = "eval.json"
    /// The capability results file in the stage folder (with a `tasks` input).
    static let capabilitiesFile = "capabilities.json"

    let name = "eval"
    let inputRoles = StageInputRoles(required: ["model", "shards"], optional: ["tasks"])

    func check(_ settings: Settings, at location: StageSettingsLocation) throws {
        try requireAtLeast(
            1,
            [
                ("sequence_length", settings.sequenceLength), ("batch", settings.batch), ("max_sequences", settings.maxSequences),
                ("max_documents", settings.maxDocuments),
            ],
            at: location)
    }

    func execute(_ context: StageContext) throws {
        let settings = try context.settings(for: self)
        let model = context.input("model") + "/run/final"
        let step = EvalStep(
            model: model, data: context.input("shards") + "/validation",
            settings: EvaluationResults.Settings(
                sequenceLength: settings.sequenceLength, batch: settings.batch, maxSequences: settings.maxSequences),
            output: context.output + "/" + Self.resultsFile)
        let (record, results) = try step.run(in: try context.openStore())
        for (domain, result) in results.domains.sorted(by: { $0.key < $1.key }) {
            context.log.note("\(domain): loss \(String(format: "%.4f", result.loss)), \(result.tokens) tokens")
        }
        context.log.note("eval: run \(record.run.id)")
        guard let tasks = context.inputs["tasks"] else { return }
        let invocation = CapabilityEvalInvocation(
            model: model, tasks: tasks + "/" + TasksStage.taskFolder, output: context.output + "/" + Self.capabilitiesFile,
            maxDocuments: settings.maxDocuments,
            store: context.store)
        try context.log.run(executable: context.factory, arguments: invocation.arguments)
    }
}
