import FactoryCore

/// `kind = "corpus"`: ``CorpusBuildStep`` (`factory corpus build`) from a corpus config, in this
/// process (sources → per-domain `train.jsonl` / `validation.jsonl` and `manifest.json` in the
/// stage folder).
///
/// Settings: `config` (the corpus TOML; its content is part of the identity) and
/// `max_docs_per_source` (optional cap). The files a corpus reads from the system are recorded
/// by the build itself, not digested for the identity: edit the config to force a rebuild.
struct CorpusStage: DecodedSettingsStageKind {
    struct Settings: Decodable {
        var config: String
        var maxDocsPerSource: Int?

        enum CodingKeys: String, CodingKey {
            case config
            case maxDocsPerSource = "max_docs_per_source"
        }
    }

    let name = "corpus"
    let inputRoles = StageInputRoles(required: [])

    func check(_ settings: Settings, at location: StageSettingsLocation) throws {
        try requireAtLeast(1, [("max_docs_per_source", settings.maxDocsPerSource)], at: location)
    }

    func referencedFiles(settings: [String: ConfigValue]) -> [String] {
        (try? decode(settings, at: StageSettingsLocation(file: "", keyPrefix: ""))).map { [$0.config] } ?? []
    }

    func execute(_ context: StageContext) throws {
        let settings = try context.settings(for: self)
        let step = CorpusBuildStep(config: settings.config, output: context.output, maxDocsPerSource: settings.maxDocsPerSource)
        let (record, manifest) = try step.run(in: try context.openStore())
        let documents = manifest.sources.reduce(0) { $0 + $1.documents }
        context.log.note("corpus: \(documents) documents in \(manifest.domains.count) domains (run \(record.run.id))")
    }
}
