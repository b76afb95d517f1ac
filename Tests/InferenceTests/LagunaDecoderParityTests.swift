import Inference
import Models
import Tensors
import Testing

/// `LagunaDecoder` against a full forward pass of `LagunaModel` and against `transformers`'
/// greedy `generate`, on prompts longer than the sliding window.
@Suite struct LagunaDecoderParityTests {
    @Test(arguments: GenerationFixture.names)
    func prefillMatchesTheFullForward(name: String) throws {
        let fixture = try GenerationFixture(name)
        let decoder = try LagunaDecoder(model: fixture.model)
        let (cache, logits) = try decoder.prefill(fixture.prompt, allPositions: true)
        let reference = try fixture.model.logits(
            TokenBatch(batch: 1, time: fixture.prompt.count, tokens: fixture.prompt.map { Int32($0) }))
        #expect(cache.length == fixture.prompt.count)
        #expect(logits.shape == reference.shape)
        #expect(GenerationFixture.relativeError(logits.storage, reference.storage) <= 1e-6)
        let (_, last) = try decoder.prefill(fixture.prompt, allPositions: false)
        #expect(last.shape == [1, decoder.vocabularySize])
        let lastReference = GenerationFixture.row(reference, fixture.prompt.count - 1)
        #expect(GenerationFixture.relativeError(last.storage, lastReference) <= 1e-6)
    }

    @Test(arguments: GenerationFixture.names)
    func everyDecodeStepMatchesTheFullForwardOfItsPrefix(name: String) throws {
        let fixture = try GenerationFixture(name)
        let decoder = try LagunaDecoder(model: fixture.model)
        var (cache, _) = try decoder.prefill(fixture.prompt, allPositions: false)
        var caches = [cache]
        var sequence = fixture.prompt
        var worst = 0.0
        for token in fixture.generated {
            sequence.append(token)
            let logits = try decoder.decode(&caches, tokens: [token])
            let full = try fixture.model.logits(TokenBatch(batch: 1, time: sequence.count, tokens: sequence.map { Int32($0) }))
            worst = max(worst, GenerationFixture.relativeError(logits.storage, GenerationFixture.row(full, sequence.count - 1)))
        }
        cache = caches[0]
        #expect(cache.length == fixture.prompt.count + fixture.generated.count)
        #expect(worst <= 1e-4, "worst relative error \(worst)")
    }

    @Test(arguments: GenerationFixture.names)
    func greedyGenerationMatchesTransformersTokenForToken(name: String) throws {
        let fixture = try GenerationFixture(name)
        let decoder = try LagunaDecoder(model: fixture.model)
        let (cache, logits) = try decoder.prefill(fixture.prompt, allPositions: false)
        var caches = [cache]
        var generated = [GenerationFixture.argmax(logits.storage)]
        while generated.count < fixture.generated.count {
            let next = try decoder.decode(&caches, tokens: [generated.last!])
            generated.append(GenerationFixture.argmax(next.storage))
        }
        #expect(generated == fixture.generated)
    }
}
