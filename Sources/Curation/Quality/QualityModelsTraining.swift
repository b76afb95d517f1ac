import Documents
import FactoryCore
import Foundation

extension QualityModels {
    /// Trains the noise and information classifiers on a corpus folder's training documents as
    /// the curation config says (labels from its files, or bootstrapped from the corpus) and
    /// writes `noise.json` and `information.json` into `output` (created when missing).
    ///
    /// - Parameters:
    ///   - configFile: the curation file `config` was read from (relative label paths and errors).
    ///   - note: told what each axis trains on before it trains.
    /// - Returns: the models; they do not depend on the pool's thread count.
    public static func train(
        config: CurationConfig, configFile: String, parts: [CorpusFolderPart], output: String, pool: ThreadPool,
        note: (String) -> Void = { _ in }
    ) throws -> QualityModels {
        let documents = try CorpusFolderLayout.readTraining(parts, pool: pool).flatMap { $0 }
        let data = QualityTrainingData(config: config, configFile: configFile)
        let trainer = QualityClassifierTrainer(
            features: config.features, l2: config.training.l2, maxIterations: config.training.maxIterations,
            heldOutFraction: config.training.heldOutFraction, seed: config.seed, pool: pool)
        let noise = try data.noiseExamples(corpus: documents)
        note("noise: \(noise.examples.count) examples (\(noise.labels)); training")
        let noiseModel = try trainer.train(axis: .noise, examples: noise.examples, labels: noise.labels)
        let information = try data.informationExamples(corpus: documents)
        note("information: \(information.examples.count) examples (\(information.labels)); training")
        let informationModel = try trainer.train(axis: .information, examples: information.examples, labels: information.labels)
        try FilePath.createFolder(output)
        let models = QualityModels(noise: noiseModel, information: informationModel)
        try models.write(directory: output)
        return models
    }
}
