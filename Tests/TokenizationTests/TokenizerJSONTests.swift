import FactoryCore
import Foundation
import Testing

@testable import Tokenization

/// Bad tokenizer.json files fail with errors that name the file and the field.
@Suite struct TokenizerJSONTests {
    /// The committed factory tokenizer as a mutable JSON object.
    private func fixtureObject() throws -> [String: Any] {
        try TokenizerTestSupport.json("factory.tokenizer.json") as! [String: Any]
    }

    private func load(_ object: [String: Any]) throws -> Tokenizer {
        try Tokenizer(json: JSONSerialization.data(withJSONObject: object), source: "bad/tokenizer.json")
    }

    private func expectConfigError(keyPath: String, containing text: String, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected an error at \(keyPath)")
        } catch let FactoryError.config(file, actualKeyPath, _, message) {
            #expect(file == "bad/tokenizer.json")
            #expect(actualKeyPath == keyPath)
            #expect(message.contains(text), "message: \(message)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func malformedJSONNamesTheFile() throws {
        let directory = try TokenizerTestDirectory()
        let path = directory.path + "/tokenizer.json"
        try Data("{\"model\": {\"type\": \"BPE\",".utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try Tokenizer.load(path: path)
            Issue.record("expected an error")
        } catch let FactoryError.config(file, keyPath, _, message) {
            #expect(file == path && keyPath.isEmpty && message.hasPrefix("not valid JSON"))
        }
    }

    @Test func missingFileIsNamed() {
        #expect(throws: FactoryError.fileNotFound(path: "/nonexistent/tokenizer.json")) {
            try Tokenizer.load(path: "/nonexistent/tokenizer.json")
        }
    }

    @Test func unknownModelType() throws {
        var object = try fixtureObject()
        var model = object["model"] as! [String: Any]
        model["type"] = "WordPiece"
        object["model"] = model
        expectConfigError(keyPath: "model.type", containing: "unknown model type 'WordPiece'") { _ = try load(object) }
    }

    @Test func missingModel() throws {
        var object = try fixtureObject()
        object["model"] = nil
        expectConfigError(keyPath: "model", containing: "missing") { _ = try load(object) }
    }

    @Test func mergeOutsideTheVocabulary() throws {
        var object = try fixtureObject()
        var model = object["model"] as! [String: Any]
        var merges = model["merges"] as! [Any]
        merges[3] = ["Ġ", "nonexistent"]
        model["merges"] = merges
        object["model"] = model
        expectConfigError(keyPath: "model.merges[3]", containing: "not in model.vocab") { _ = try load(object) }
    }

    @Test func vocabularyIdsMustBeIntegers() throws {
        var object = try fixtureObject()
        var model = object["model"] as! [String: Any]
        var vocab = model["vocab"] as! [String: Any]
        vocab["a"] = "seven"
        model["vocab"] = vocab
        object["model"] = model
        expectConfigError(keyPath: "model.vocab[\"a\"]", containing: "expected a token id") { _ = try load(object) }
    }

    @Test func unsupportedPattern() throws {
        var object = try fixtureObject()
        object["pre_tokenizer"] = [
            "type": "Sequence",
            "pretokenizers": [
                ["type": "Split", "pattern": ["Regex": "\\w+"], "behavior": "Isolated", "invert": false],
                ["type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false],
            ],
        ]
        expectConfigError(keyPath: "pre_tokenizer.pretokenizers[0].pattern.Regex", containing: "not one the pre-tokenizer implements") {
            _ = try load(object)
        }
    }

    @Test func unsupportedNormalizerAndDecoder() throws {
        var object = try fixtureObject()
        object["normalizer"] = ["type": "NFC"]
        expectConfigError(keyPath: "normalizer", containing: "not supported") { _ = try load(object) }
        object = try fixtureObject()
        object["decoder"] = ["type": "WordPiece"]
        expectConfigError(keyPath: "decoder.type", containing: "not supported") { _ = try load(object) }
    }

    @Test func legacyMergeStringsLoad() throws {
        var object = try fixtureObject()
        var model = object["model"] as! [String: Any]
        model["merges"] = (model["merges"] as! [[String]]).map { $0.joined(separator: " ") }
        object["model"] = model
        let legacy = try load(object)
        let current = try Tokenizer.load(path: TokenizerTestSupport.fixture("factory.tokenizer.json"))
        #expect(legacy.merges == current.merges)
    }
}
