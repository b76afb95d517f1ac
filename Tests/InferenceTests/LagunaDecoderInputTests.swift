import FactoryCore
import Inference
import Models
import Tensors
import Testing

/// Bad input to `LagunaDecoder` fails with a `FactoryError` naming the field.
@Suite struct LagunaDecoderInputTests {
    @Test func anEmptyPromptIsRejected() throws {
        let decoder = try LagunaDecoder(model: GenerationFixture("dense_sliding").model)
        #expect(throws: FactoryError.invalidArgument(name: "prompt", message: "must hold at least one token")) {
            try decoder.prefill([], allPositions: false)
        }
    }

    @Test func tokenIdsOutsideTheVocabularyAreRejected() throws {
        let decoder = try LagunaDecoder(model: GenerationFixture("dense_sliding").model)
        #expect(throws: FactoryError.invalidArgument(name: "prompt[2]", message: "token id 64 is outside the vocabulary (0..<64)")) {
            try decoder.prefill([1, 2, 64], allPositions: false)
        }
        var caches = try [decoder.prefill([1, 2], allPositions: false).cache, decoder.prefill([3], allPositions: false).cache]
        #expect(throws: FactoryError.invalidArgument(name: "tokens[1]", message: "token id 99 is outside the vocabulary (0..<64)")) {
            try decoder.decode(&caches, tokens: [5, 99])
        }
        #expect(caches.map(\.length) == [2, 1], "a rejected step leaves the caches untouched")
        #expect(throws: FactoryError.invalidArgument(name: "tokens", message: "1 tokens for 2 caches")) {
            try decoder.decode(&caches, tokens: [5])
        }
    }

    @Test func sequencesPastMaxPositionEmbeddingsAreRejected() throws {
        let fixture = try GenerationFixture("dense_sliding")
        var config = fixture.model.config
        config.maxPositionEmbeddings = 6
        let decoder = try LagunaDecoder(model: LagunaModel(config: config, parameters: fixture.model.parameters))
        #expect(decoder.maximumSequenceLength == 6)
        #expect(throws: FactoryError.invalidArgument(name: "prompt", message: "7 tokens exceed max_position_embeddings (6)")) {
            try decoder.prefill([1, 2, 3, 4, 5, 6, 7], allPositions: false)
        }
        var caches = [try decoder.prefill([1, 2, 3, 4, 5], allPositions: false).cache]
        _ = try decoder.decode(&caches, tokens: [6])
        #expect(
            throws: FactoryError.invalidArgument(name: "caches[0]", message: "already holds 6 positions, the model's max_position_embeddings")
        ) {
            try decoder.decode(&caches, tokens: [7])
        }
    }

    @Test func cachesOfAnotherStorageAreRejected() throws {
        let model = try GenerationFixture("dense_sliding").model
        var caches = [try LagunaDecoder(model: model, cacheStorage: .fp8).prefill([1, 2], allPositions: false).cache]
        #expect(throws: FactoryError.invalidArgument(name: "caches[0]", message: "was not made by this decoder (fp32, 3 layers)")) {
            try LagunaDecoder(model: model).decode(&caches, tokens: [3])
        }
    }
}
