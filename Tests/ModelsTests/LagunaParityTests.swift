import FactoryCore
import Foundation
import Testing

@testable import Models
@testable import Tensors

/// Parity with Hugging Face `transformers` (`LagunaForCausalLM`, float32, eager attention): logits,
/// loss and every parameter gradient for fixtures made by `scripts/make_laguna_fixtures.sh`.
@Suite struct LagunaParityTests {
    static let fixtures = ["sliding_gqa_per_head", "per_element_partial", "tied_per_head_mha"]

    static func fixtureDirectory(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: "Fixtures/laguna/\(name)", withExtension: nil) else {
            throw FactoryError.fileNotFound(path: "Fixtures/laguna/\(name)")
        }
        return url.path
    }

    /// max |a − b| / max |b| over a tensor.
    static func relativeError(_ actual: Tensor, _ expected: Tensor) -> Double {
        let difference = zip(actual.storage, expected.storage).map { abs(Double($0) - Double($1)) }.max() ?? 0
        let scale = expected.storage.map { abs(Double($0)) }.max() ?? 0
        return difference / max(scale, 1e-30)
    }

    @Test(arguments: fixtures)
    func logitsLossAndGradientsMatchTransformers(fixture: String) throws {
        let directory = try Self.fixtureDirectory(fixture)
        let config = try LagunaConfig.load(configJSONAt: directory + "/config.json")
        var parameters = try LagunaParameters.initialize(config, seed: 0)
        try parameters.load(SafeTensorsFile.read(path: directory + "/model.safetensors").tensors, source: directory + "/model.safetensors")
        let model = try LagunaModel(config: config, parameters: parameters)
        let tokenData = try Data(contentsOf: URL(fileURLWithPath: directory + "/tokens.json"))
        let tokens = try JSONDecoder().decode([Int32].self, from: tokenData)
        let batch = try TokenBatch(batch: 1, time: tokens.count, tokens: tokens)
        let expected = try SafeTensorsFile.read(path: directory + "/expected.safetensors").tensors

        let (loss, gradients, logits) = try model.lossAndGradients(batch, targets: batch.nextTokenTargets)
        let expectedLogits = try #require(expected["logits"])
        #expect(logits.shape == expectedLogits.shape)
        #expect(Self.relativeError(logits, expectedLogits) < 1e-4, "\(fixture): logits")
        let expectedLoss = try #require(expected["loss"]).storage[0]
        #expect(abs(loss - expectedLoss) / abs(expectedLoss) < 1e-4, "\(fixture): loss \(loss) vs \(expectedLoss)")
        for name in model.parameters.names {
            let reference = try #require(expected[name], "\(fixture): no reference gradient for \(name)")
            let error = Self.relativeError(gradients[name], reference)
            #expect(error < 1e-3, "\(fixture): gradient of \(name) off by \(error) relative")
        }
    }

    @Test func configRoundTripsThroughHuggingFaceJSON() throws {
        let config = try LagunaConfig.load(configJSONAt: try Self.fixtureDirectory("per_element_partial") + "/config.json")
        let again = try LagunaConfig.decode(json: config.huggingFaceJSON(), source: "round trip")
        #expect(again == config)
        #expect(config.gating == .perElement)
        #expect(config.ropeParameters[.fullAttention]?.partialRotaryFactor == 0.25)
    }

    @Test func badConfigKeysAreNamed() throws {
        let base = try String(contentsOfFile: try Self.fixtureDirectory("per_element_partial") + "/config.json", encoding: .utf8)
        func failure(_ text: String) -> String {
            do {
                _ = try LagunaConfig.decode(json: Data(text.utf8), source: "config.json")
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        #expect(
            failure(base.replacingOccurrences(of: "\"vocab_size\": 64", with: "\"vocab_size\": 64, \"vocab_sise\": 3"))
                .contains("key 'vocab_sise': unknown key"))
        #expect(failure(base.replacingOccurrences(of: "\"per-element\"", with: "\"per-token\"")).contains("key 'gating'"))
        #expect(
            failure(base.replacingOccurrences(of: "\"head_dim\": 16", with: "\"head_dim\": \"16\"")).contains("key 'head_dim': expected an integer"))
        #expect(
            failure(base.replacingOccurrences(of: "\n    2,\n    1,\n    3\n", with: "\n    2,\n    1\n")).contains("num_attention_heads_per_layer"))
        #expect(failure("{ not json").contains("invalid JSON at byte 2"))
    }
}
