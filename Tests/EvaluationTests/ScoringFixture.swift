import FactoryCore
import Foundation
import Models
import Tensors
import Tokenization

@testable import Evaluation

/// A small trained tokenizer and tiny random Laguna models (large initial weights, so the
/// next-token distributions are far from uniform), with naive references: full forward passes of
/// whole sequences, log-softmax summed by hand.
enum ScoringFixture {
    static let tokenizer: Tokenizer = {
        var trainer = try! BPETrainer(options: .init(vocabularySize: 300))
        trainer.add(
            """
            Question: is fire hot or cold? Answer: hot. Question: is ice hot or cold? Answer: cold.
            The capital of France is Paris. Two plus two is four. def add(a, b): return a + b
            """)
        return try! trainer.train()
    }()

    static func config(maxPositions: Int = 4096) -> LagunaConfig {
        LagunaConfig(
            vocabSize: tokenizer.vocabularySize, hiddenSize: 16, intermediateSize: 24, numHiddenLayers: 2, numAttentionHeads: 2, numKeyValueHeads: 1,
            headDim: 8, maxPositionEmbeddings: maxPositions, initializerRange: 0.5, slidingWindow: 4,
            layerTypes: [.fullAttention, .slidingAttention], mlpLayerTypes: [.dense, .dense])
    }

    static func model(maxPositions: Int = 4096, seed: UInt64 = 11) throws -> LagunaModel {
        try LagunaModel.initialized(config(maxPositions: maxPositions), seed: seed)
    }

    /// The logits `[T, V]` of one sequence.
    static func logits(_ model: LagunaModel, _ tokens: [UInt32]) throws -> Tensor {
        try model.logits(TokenBatch(batch: 1, time: tokens.count, tokens: tokens.map { Int32(bitPattern: $0) }), pool: .serial)
    }

    /// log p(continuation | context) by one forward pass of the whole (left-truncated) sequence.
    static func referenceLogLikelihood(_ model: LagunaModel, context: [UInt32], continuation: [UInt32]) throws -> Double {
        let kept = Array((context + continuation).suffix(model.config.maxPositionEmbeddings + 1))
        let logits = try Self.logits(model, Array(kept.dropLast()))
        let vocabulary = logits.shape[1]
        var total = 0.0
        for position in (kept.count - continuation.count)..<kept.count {
            let row = Array(logits.storage[((position - 1) * vocabulary)..<(position * vocabulary)]).map(Double.init)
            let largest = row.max()!
            let normalizer = largest + log(row.map { exp($0 - largest) }.reduce(0, +))
            total += row[Int(kept[position])] - normalizer
        }
        return total
    }

    /// Greedy generation by full forward passes: the argmax of the last row (lowest id on ties)
    /// until the end-of-text token or `maxTokens`; the decoded text cut at the first stop string.
    static func referenceGreedy(_ model: LagunaModel, prompt: String, stops: [String], maxTokens: Int) throws -> String {
        var tokens = tokenizer.encode(prompt)
        var generated = [UInt32]()
        let end = tokenizer.addedTokenId("<|endoftext|>")
        while generated.count < maxTokens {
            let logits = try Self.logits(model, tokens)
            let vocabulary = logits.shape[1]
            let row = logits.storage[((tokens.count - 1) * vocabulary)..<(tokens.count * vocabulary)]
            var best = row.startIndex
            for index in row.indices where row[index] > row[best] { best = index }
            let token = UInt32(best - row.startIndex)
            if token == end { break }
            generated.append(token)
            tokens.append(token)
        }
        var text = String(decoding: try tokenizer.decode(generated), as: UTF8.self)
        for stop in stops {
            if let range = text.range(of: stop) { text = String(text[..<range.lowerBound]) }
        }
        return text
    }

    static func header(_ kind: TaskKind, name: String, capability: Capability, metric: String, chance: Double = 0) -> TaskHeader {
        TaskHeader(name: name, kind: kind, capability: capability, metric: metric, license: "test", source: "test", chance: chance, description: "")
    }
}
