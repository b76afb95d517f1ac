import FactoryCore

/// `kind = "curate"`: `factory curate run`: quality scores, heuristic filters, deduplication and
/// diversity-preserving selection of a corpus folder into a corpus folder of the same layout,
/// with `curation.json`. Inputs: `corpus`, `quality` (the classifiers). Setting: `config`.
struct CurateStage: DecodedSettingsStageKind {
    struct Settings: Decodable {
        var config: String
    }

    /// The curation report `factory curate run` writes into its output folder.
    static let reportFile = "curation.json"

    let name = "curate"
    let inputRoles = StageInputRoles(required: ["corpus", "quality"])

    func referencedFiles(settings: [String: ConfigValue]) -> [String] {
        (try? decode(settings, source: "")).map { [$0.config] } ?? []
    }

    func execute(_ context: StageContext) throws {
        let settings = try context.settings(for: self)
        try context.runFactory([
            "curate", "run", "--config", settings.config, "--corpus", context.input("corpus"),
            "--quality", context.input("quality"), "--output", context.output,
        ])
    }
}
