import FactoryCore

/// `kind = "curate"`: ``CurateStep`` (`factory curate run`) in this process: quality scores,
/// heuristic filters, deduplication and diversity-preserving selection of a corpus folder into a
/// corpus folder of the same layout, with `curation.json`. Inputs: `corpus`, `quality` (the classifiers). Setting: `config`.
struct CurateStage: DecodedSettingsStageKind {
    struct Settings: Decodable {
        var config: String
    }

    let name = "curate"
    let inputRoles = StageInputRoles(required: ["corpus", "quality"])

    func referencedFiles(settings: [String: ConfigValue]) -> [String] {
        (try? decode(settings, at: StageSettingsLocation(file: "", keyPrefix: ""))).map { [$0.config] } ?? []
    }

    func execute(_ context: StageContext) throws {
        let settings = try context.settings(for: self)
        let step = CurateStep(config: settings.config, corpus: context.input("corpus"), quality: context.input("quality"), output: context.output)
        let (record, outcome) = try step.run(in: try context.openStore())
        let total = outcome.result.report.total
        context.log.note("curate: kept \(total.kept.documents) of \(total.input.documents) documents (run \(record.run.id))")
    }
}
