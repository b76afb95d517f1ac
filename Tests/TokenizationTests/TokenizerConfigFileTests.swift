import FactoryCore
import Foundation
import Testing

@testable import Tokenization

/// `tokenizer_config.json`: what the factory writes, the forms `transformers` writes that are
/// read, and the errors of bad files.
@Suite struct TokenizerConfigFileTests {
    /// Writes `text` as `tokenizer_config.json` in a fresh folder (and `template` as
    /// `chat_template.jinja` beside it) and reads it back, or returns the error text.
    static func read(_ text: String, template: String? = nil) throws -> Result<TokenizerConfigFile, FactoryError> {
        let folder = NSTemporaryDirectory() + "tokenizer-config-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/tokenizer_config.json"))
        if let template { try Data(template.utf8).write(to: URL(fileURLWithPath: folder + "/chat_template.jinja")) }
        do {
            return .success(try TokenizerConfigFile.read(path: folder + "/tokenizer_config.json"))
        } catch let error as FactoryError {
            return .failure(error)
        }
    }

    @Test func theFactoryConfigurationRoundTrips() throws {
        let tokenizer = try TokenizerTestSupport.trainedTokenizer(vocabularySize: 400)
        let config = TokenizerConfigFile.factory(for: tokenizer, modelMaxLength: 512)
        #expect(
            config
                == TokenizerConfigFile(
                    bosToken: "<|endoftext|>", eosToken: "<|endoftext|>", padToken: "<|pad|>", chatTemplate: ChatTemplate.jinja,
                    modelMaxLength: 512, paddingSide: "left"))
        let text = String(decoding: config.encoded(tokenizer: tokenizer), as: UTF8.self)
        #expect(text.contains("\"tokenizer_class\": \"PreTrainedTokenizerFast\"") && text.contains("\"add_bos_token\": false"))
        #expect(text.contains("\"\(tokenizer.addedTokenId("<think>")!)\": {\n      \"content\": \"<think>\",\n      \"lstrip\": false,"))
        #expect(try Self.read(text).get() == config)
    }

    @Test func readsTheFormsTransformersWrites() throws {
        let objects = try Self.read(
            """
            {"bos_token": null, "eos_token": {"__type": "AddedToken", "content": "<|im_end|>"}, "pad_token": "<|pad|>",
             "chat_template": [{"name": "tool_use", "template": "x"}, {"name": "default", "template": "{{ messages }}"}],
             "model_max_length": 1000000000000000019884624838656}
            """
        ).get()
        #expect(objects == TokenizerConfigFile(eosToken: "<|im_end|>", padToken: "<|pad|>", chatTemplate: "{{ messages }}", modelMaxLength: .max))
        #expect(try Self.read("{\"eos_token\": \"</s>\"}", template: "T").get().chatTemplate == "T")
    }

    @Test func badFieldsAreNamed() throws {
        let cases: [(String, String, String)] = [
            ("{\"eos_token\": 7}", "eos_token", "expected a token string"),
            ("{\"pad_token\": {\"text\": \"x\"}}", "pad_token.content", "expected a string"),
            ("{\"chat_template\": 3}", "chat_template", "expected a string or a list of named templates"),
            ("{\"chat_template\": [{\"name\": \"default\"}]}", "chat_template[0]", "expected {\"name\": ..., \"template\": ...}"),
            ("{\"padding_side\": \"middle\"}", "padding_side", "expected \"left\" or \"right\""),
            ("[1]", "", "expected a JSON object"),
        ]
        for (text, key, message) in cases {
            guard case .failure(.config(let file, let keyPath, _, let reason)) = try Self.read(text) else {
                Issue.record("\(text) was accepted")
                continue
            }
            #expect(file.hasSuffix("/tokenizer_config.json") && keyPath == key && reason.hasPrefix(message), "\(text): \(keyPath) \(reason)")
        }
    }
}
