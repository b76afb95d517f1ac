import FactoryCore

/// `kind = "quality"`: `factory curate quality train`: the noise and information classifiers,
/// trained on a corpus folder as the curation config says. Input: `corpus`. Setting: `config`.
struct QualityStage: DecodedSettingsStageKind {
    struct Settings: Decodable {
        var config: String
    }

    let name = "quality"
    let inputRoles = StageInputRoles(required: ["corpus"])

    func referencedFiles(settings: [String: ConfigValue]) -> [String] {
        (try? decode(settings, source: "")).map { [$0.config] } ?? []
    }

    func execute(_ context: StageContext) throws {
        let settings = try context.settings(for: self)
        try context.runFactory([
            "curate", "quality", "train", "--config", settings.config, "--corpus", context.input("corpus"), "--output", context.output,
        ])
    }
}
