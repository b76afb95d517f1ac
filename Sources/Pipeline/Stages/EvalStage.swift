import Evaluation
import FactoryCore
import Foundation

/// `kind = "eval"`: ``EvalStep`` (`factory eval --output`) in this process, of a `train` stage's
/// final checkpoint (input `model`) on the
/// validation shards of a `shards` stage (input `shards`), written to `eval.json`. Settings:
/// `sequence_length`, `batch`, `max_sequences` (optional).
struct EvalStage: DecodedSettingsStageKind {
    struct Settings: Decodable {
        var sequenceLength: Int?
        var batch: Int?
        var maxSequences: Int?

        enum CodingKeys: String, CodingKey {
            case sequenceLength = "sequence_length"
            case batch
            case maxSequences = "max_sequences"
        }
    }

    /// The results file in the stage folder.
    static let resultsFile = "eval.json"

    let name = "eval"
    let inputRoles = StageInputRoles(required: ["model", "shards"])

    func check(_ settings: Settings, at location: StageSettingsLocation) throws {
        try requireAtLeast(
            1, [("sequence_length", settings.sequenceLength), ("batch", settings.batch), ("max_sequences", settings.maxSequences)],
            at: location)
    }

    func execute(_ context: StageContext) throws {
        let settings = try context.settings(for: self)
        let step = EvalStep(
            model: context.input("model") + "/run/final", data: context.input("shards") + "/validation",
            settings: EvaluationResults.Settings(
                sequenceLength: settings.sequenceLength, batch: settings.batch, maxSequences: settings.maxSequences),
            output: context.output + "/" + Self.resultsFile)
        let (record, results) = try step.run(in: try context.openStore())
        for (domain, result) in results.domains.sorted(by: { $0.key < $1.key }) {
            context.log.note("\(domain): loss \(String(format: "%.4f", result.loss)), \(result.tokens) tokens")
        }
        context.log.note("eval: run \(record.run.id)")
    }
}
