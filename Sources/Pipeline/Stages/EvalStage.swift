import FactoryCore

/// `kind = "eval"`: `factory eval` of a `train` stage's final checkpoint (input `model`) on the
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

    func execute(_ context: StageContext) throws {
        let settings = try context.settings(for: self)
        var arguments = [
            "eval", "--model", context.input("model") + "/run/final", "--data", context.input("shards") + "/validation",
            "--output", context.output + "/" + Self.resultsFile,
        ]
        if let length = settings.sequenceLength { arguments += ["--sequence-length", String(length)] }
        if let batch = settings.batch { arguments += ["--batch", String(batch)] }
        if let count = settings.maxSequences { arguments += ["--max-sequences", String(count)] }
        try context.runFactory(arguments)
    }
}
