import FactoryCore
import Foundation
import Testing

@testable import Models
@testable import Tensors

/// The inspection outputs (`factory model logits` / `grads`) on the parity fixtures, through the
/// same library calls and files the commands use, against `transformers`' expected values.
@Suite struct LagunaInspectionTests {
    @Test(arguments: LagunaParityTests.fixtures)
    func logitsAndGradientFilesMatchTransformers(fixture: String) throws {
        let directory = try LagunaParityTests.fixtureDirectory(fixture)
        let scratch = try TemporaryDirectory()
        let model = try LagunaCheckpoint.read(directory: directory).model
        let tokens = try LagunaInspection.readTokens(jsonAt: directory + "/tokens.json")
        let expected = try SafeTensorsFile.read(path: directory + "/expected.safetensors").tensors

        try LagunaInspection.logits(of: model, tokens: tokens).write(to: scratch.path("logits.safetensors"))
        let logits = try SafeTensorsFile.read(path: scratch.path("logits.safetensors")).tensors
        #expect(Array(logits.keys) == ["logits"])
        let expectedLogits = try #require(expected["logits"])
        #expect(logits["logits"]?.shape == [tokens.count, model.config.vocabSize])
        #expect(LagunaParityTests.relativeError(try #require(logits["logits"]), expectedLogits) < 1e-4)

        try LagunaInspection.gradients(of: model, tokens: tokens).write(to: scratch.path("grads.safetensors"))
        let grads = try SafeTensorsFile.read(path: scratch.path("grads.safetensors")).tensors
        #expect(Set(grads.keys) == Set(expected.keys).subtracting(["logits"]))
        let loss = try #require(grads["loss"])
        #expect(loss.shape == [])
        let expectedLoss = try #require(expected["loss"]).storage[0]
        #expect(abs(loss.storage[0] - expectedLoss) / expectedLoss < 1e-4, "loss \(loss.storage[0]) vs \(expectedLoss)")
        for name in model.parameters.names {
            let error = LagunaParityTests.relativeError(try #require(grads[name]), try #require(expected[name]))
            #expect(error < 1e-3, "\(fixture): gradient of \(name) off by \(error)")
        }
    }

    @Test func tokenFilesMustBeArraysOfIds() throws {
        let scratch = try TemporaryDirectory()
        func read(_ text: String) -> String {
            let path = scratch.path("ids.json")
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: path))
                return "\(try LagunaInspection.readTokens(jsonAt: path))"
            } catch {
                return "\(error)".replacingOccurrences(of: path, with: "ids.json")
            }
        }
        #expect(read(" [3, 0, 17] ") == "[3, 0, 17]")
        #expect(read("{\"ids\": [1]}") == "ids.json: expected a JSON array of token ids")
        #expect(read("[]") == "ids.json: the token array is empty")
        #expect(read("[1, 2.5]") == "ids.json: key '[1]': expected a non-negative token id, got the number 2.5")
        #expect(read("[1, -4]") == "ids.json: key '[1]': expected a non-negative token id, got the integer -4")
        #expect(read("[1, \"2\"]").contains("key '[1]'"))
        #expect(read("[1,").contains("invalid JSON"))
        #expect("\(Self.failure { _ = try LagunaInspection.readTokens(jsonAt: scratch.path("none.json")) })".contains("no such file"))
    }

    @Test func gradientsNeedTwoTokensAndIdsInTheVocabulary() throws {
        let model = try LagunaCheckpoint.read(directory: LagunaParityTests.fixtureDirectory("sliding_gqa_per_head")).model
        #expect(Self.failure { _ = try LagunaInspection.gradients(of: model, tokens: [3]) }.contains("at least 2 tokens"))
        #expect(Self.failure { _ = try LagunaInspection.logits(of: model, tokens: [3, 64]) }.contains("64 at position 1 is outside the vocabulary"))
    }

    static func failure(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "no error"
        } catch {
            return "\(error)"
        }
    }
}
