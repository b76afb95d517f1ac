import FactoryCore
import Foundation
import Shards
import Tokenization

@testable import Models

/// A tiny two-domain token corpus in a temporary folder: a tokenizer trained on it, train and
/// validation shards, and a small dense Laguna config sized to it.
final class TrainingFixture {
    let directory: String
    let tokenizerPath: String
    let train: DomainTokens
    let validation: DomainTokens
    let tokenizer: Tokenizer

    init() throws {
        directory = NSTemporaryDirectory() + "factory-training-" + UUID().uuidString
        let fileManager = FileManager.default
        for folder in ["train", "validation"] {
            try fileManager.createDirectory(atPath: directory + "/" + folder, withIntermediateDirectories: true)
        }
        let counting = (0..<300).map { "count \($0) then \($0 + 1) and \($0 + 2)." }
        let poems = (0..<300).map { i in ["the cat sat on the mat", "a dog ran in the fog", "the sun is warm and bright"][i % 3] + " \(i % 7)." }
        // 298 learned tokens and the 6 standard added tokens (`ChatTokens.standard`).
        var trainer = try BPETrainer(options: .init(vocabularySize: 304))
        for text in counting + poems { trainer.add(text) }
        tokenizer = try trainer.train()
        tokenizerPath = directory + "/tokenizer.json"
        try tokenizer.save(toPath: tokenizerPath)
        for (domain, texts) in [("counting", counting), ("poems", poems)] {
            for (folder, range) in [("train", 0..<270), ("validation", 270..<300)] {
                let builder = try TokenShardBuilder(tokenizer: tokenizer, domain: domain, directory: directory + "/" + folder)
                for text in texts[range] { try builder.append(text) }
                _ = try builder.finish()
            }
        }
        train = try DomainTokens(directory: directory + "/train")
        validation = try DomainTokens(directory: directory + "/validation")
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// Two layers (sliding then full), sized to the tokenizer.
    var modelConfig: LagunaConfig {
        LagunaConfig(
            vocabSize: tokenizer.vocabularySize, hiddenSize: 32, intermediateSize: 64, numHiddenLayers: 2, numAttentionHeads: 4,
            numKeyValueHeads: 2, headDim: 8, initializerRange: 0.05, slidingWindow: 8,
            layerTypes: [.slidingAttention, .fullAttention], mlpLayerTypes: [.dense, .dense])
    }
}
