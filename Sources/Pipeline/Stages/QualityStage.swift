import FactoryCore
import Foundation

/// `kind = "quality"`: ``QualityTrainStep`` (`factory curate quality train`) in this process: the
/// noise and information classifiers, trained on a corpus folder as the curation config says. Input: `corpus`. Setting: `config`.
struct QualityStage: DecodedSettingsStageKind {
    struct Settings: Decodable {
        var config: String
    }

    let name = "quality"
    let inputRoles = StageInputRoles(required: ["corpus"])

    func referencedFiles(settings: [String: ConfigValue]) -> [String] {
        (try? decode(settings, at: StageSettingsLocation(file: "", keyPrefix: ""))).map { [$0.config] } ?? []
    }

    func execute(_ context: StageContext) throws {
        let settings = try context.settings(for: self)
        let step = QualityTrainStep(config: settings.config, corpus: context.input("corpus"), output: context.output)
        let (record, models) = try step.run(in: try context.openStore(), note: context.log.note)
        for model in [models.noise, models.information] {
            context.log.note("\(model.axis.rawValue): held-out AUC \(String(format: "%.4f", model.training.heldOutAUC))")
        }
        context.log.note("quality models: run \(record.run.id)")
    }
}
