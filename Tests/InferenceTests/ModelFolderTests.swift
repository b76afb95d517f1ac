import FactoryCore
import Foundation
import Models
import Testing
import Tokenization

@testable import Inference

/// Reading model folders: factory-written (single file or sharded), without tokenizer_config.json,
/// and the errors of bad folders.
@Suite struct ModelFolderTests {
    static let config = LagunaConfig(
        vocabSize: 300, hiddenSize: 16, intermediateSize: 24, numHiddenLayers: 2, numAttentionHeads: 2,
        numKeyValueHeads: 1, headDim: 8, slidingWindow: 4, layerTypes: [.fullAttention, .slidingAttention],
        mlpLayerTypes: [.dense, .dense])

    /// A scratch folder holding a trained tokenizer and a checkpoint `ckpt` written with it.
    final class Scratch {
        let root: String
        let tokenizerPath: String
        let checkpoint: String
        let model: LagunaModel
        /// The ids of `ChatTokens.standard` in the trained tokenizer.
        let ids: [String: UInt32]
        let vocabularySize: Int

        init(maxShardBytes: Int = SafeTensorsShards.defaultMaxShardBytes) throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("inference-tests-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            tokenizerPath = root + "/tokenizer.json"
            var trainer = try BPETrainer(options: .init(vocabularySize: 300))
            trainer.add("a small text to train a small tokenizer on, a small text, and some more text")
            let tokenizer = try trainer.train()
            try tokenizer.save(toPath: tokenizerPath)
            ids = Dictionary(uniqueKeysWithValues: ChatTokens.standard.map { ($0, tokenizer.addedTokenId($0)!) })
            vocabularySize = tokenizer.vocabularySize
            checkpoint = root + "/ckpt"
            model = try LagunaModel.initialized(ModelFolderTests.config, seed: 3)
            try LagunaCheckpoint.write(model: model, to: checkpoint, tokenizer: tokenizerPath, maxShardBytes: maxShardBytes)
        }

        func edit(_ file: String, _ body: (inout String) -> Void) throws {
            var text = try String(contentsOfFile: checkpoint + "/" + file, encoding: .utf8)
            body(&text)
            try text.write(toFile: checkpoint + "/" + file, atomically: true, encoding: .utf8)
        }

        deinit { try? FileManager.default.removeItem(atPath: root) }
    }

    static func failure(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func readsAFactoryFolderWithItsSpecialTokensAndChatFormat() throws {
        let scratch = try Scratch()
        let folder = try ModelFolder.read(directory: scratch.checkpoint)
        #expect(folder.name == "ckpt")
        #expect(folder.model.parameters == scratch.model.parameters)
        #expect(folder.tokenizer.vocabularySize == scratch.vocabularySize)
        let (endOfText, pad, messageEnd) = (scratch.ids["<|endoftext|>"]!, scratch.ids["<|pad|>"]!, scratch.ids["<|im_end|>"]!)
        #expect(folder.bosTokenId == endOfText && folder.padTokenId == pad)
        #expect(folder.eosTokenIds == [endOfText, messageEnd])
        #expect(folder.chatFormat == ChatFormat() && folder.chatTemplate == ChatFormat.jinjaTemplate)
    }

    @Test func readsShardedWeights() throws {
        let scratch = try Scratch(maxShardBytes: 8_000)
        #expect(try SafeTensorsShards.weightFiles(in: scratch.checkpoint).count > 2)
        let folder = try ModelFolder.read(directory: scratch.checkpoint)
        #expect(folder.model.parameters == scratch.model.parameters)
    }

    @Test func withoutTokenizerConfigTheIdsComeFromConfigJSON() throws {
        let scratch = try Scratch()
        try FileManager.default.removeItem(atPath: scratch.checkpoint + "/factory.json")
        try FileManager.default.removeItem(atPath: scratch.checkpoint + "/tokenizer_config.json")
        try FileManager.default.removeItem(atPath: scratch.checkpoint + "/generation_config.json")
        let (endOfText, pad, messageStart) = (scratch.ids["<|endoftext|>"]!, scratch.ids["<|pad|>"]!, scratch.ids["<|im_start|>"]!)
        try scratch.edit("config.json") {
            $0 = $0.replacingOccurrences(of: "\"eos_token_id\": \(endOfText)", with: "\"eos_token_id\": [\(messageStart), \(pad)]")
        }
        let folder = try ModelFolder.read(directory: scratch.checkpoint)
        #expect(folder.bosTokenId == endOfText && folder.padTokenId == pad && folder.eosTokenIds == [messageStart, pad])
        #expect(folder.model.config.eosTokenId == Int(messageStart))
        #expect(folder.chatFormat == nil && folder.chatTemplate == nil)
    }

    @Test func aFolderNamingNoEndOfSequenceStopsAtEndOfText() throws {
        let scratch = try Scratch()
        try FileManager.default.removeItem(atPath: scratch.checkpoint + "/factory.json")
        for file in ["tokenizer_config.json", "generation_config.json"] {
            try FileManager.default.removeItem(atPath: scratch.checkpoint + "/" + file)
        }
        let endOfText = scratch.ids["<|endoftext|>"]!
        try scratch.edit("config.json") { $0 = $0.replacingOccurrences(of: "  \"eos_token_id\": \(endOfText),\n", with: "") }
        #expect(!(try String(contentsOfFile: scratch.checkpoint + "/config.json", encoding: .utf8)).contains("eos_token_id"))
        #expect(try ModelFolder.read(directory: scratch.checkpoint).eosTokenIds == [endOfText])
    }

    /// transformers' `save_pretrained` writes the template to `chat_template.jinja` and a shorter
    /// `tokenizer_config.json` (fixture from scripts/make_chat_fixtures.sh).
    @Test func readsTokenizerFilesTransformersSavedAgain() throws {
        let resaved = try ChatFormatTests.fixture("resaved")
        let tokenizer = try Tokenizer.load(path: resaved + "/tokenizer.json")
        let original = try Tokenizer.load(path: ChatFormatTests.fixture("tokenizer.json"))
        let config = try TokenizerConfigFile.read(path: resaved + "/tokenizer_config.json")
        #expect(
            config
                == TokenizerConfigFile(
                    bosToken: "<|endoftext|>", eosToken: "<|endoftext|>", padToken: "<|pad|>", chatTemplate: ChatFormat.jinjaTemplate,
                    modelMaxLength: 2048, paddingSide: "left"))

        let scratch = try Scratch()
        let folder = scratch.checkpoint
        var sized = Self.config
        sized.vocabSize = original.vocabularySize
        try LagunaCheckpoint.write(model: LagunaModel.initialized(sized, seed: 4), to: folder)
        try FileManager.default.removeItem(atPath: folder + "/factory.json")
        for file in ["tokenizer.json", "tokenizer_config.json", "chat_template.jinja"] {
            try FileManager.default.copyItem(atPath: resaved + "/" + file, toPath: folder + "/" + file)
        }
        let read = try ModelFolder.read(directory: folder)
        #expect(read.chatFormat == ChatFormat() && read.tokenizer.vocabularySize == original.vocabularySize)
        #expect(read.eosTokenIds == [original.addedTokenId("<|endoftext|>")!])
        let text = "<|im_start|>user\nÜbersetze: naïve café 👋🏽<|im_end|>\n<|im_start|>assistant\n<think>\n"
        #expect(tokenizer.encode(text) == original.encode(text))
    }

    @Test func badFoldersGetErrorsNamingTheFileAndField() throws {
        let scratch = try Scratch()
        try FileManager.default.removeItem(atPath: scratch.checkpoint + "/factory.json")
        let directory = scratch.checkpoint

        let missingFolder = Self.failure { _ = try ModelFolder.read(directory: scratch.root + "/nothing") }
        #expect(missingFolder == "\(FactoryError.fileNotFound(path: scratch.root + "/nothing"))")

        try scratch.edit("tokenizer_config.json") {
            $0 = $0.replacingOccurrences(of: "\"eos_token\": \"<|endoftext|>\"", with: "\"eos_token\": \"<|eot|>\"")
        }
        let unknownEos = Self.failure { _ = try ModelFolder.read(directory: directory) }
        #expect(
            unknownEos
                == "\(FactoryError.config(file: directory + "/tokenizer_config.json", keyPath: "eos_token", line: nil, message: "'<|eot|>' is not a single token of tokenizer.json"))"
        )
        try scratch.edit("tokenizer_config.json") {
            $0 = $0.replacingOccurrences(of: "\"eos_token\": \"<|eot|>\"", with: "\"eos_token\": \"<|endoftext|>\"")
        }

        let messageEnd = scratch.ids["<|im_end|>"]!
        let size = scratch.vocabularySize
        try scratch.edit("generation_config.json") { $0 = $0.replacingOccurrences(of: "    \(messageEnd)\n", with: "    \(size)\n") }
        let outside = Self.failure { _ = try ModelFolder.read(directory: directory) }
        #expect(
            outside
                == "\(FactoryError.config(file: directory + "/generation_config.json", keyPath: "eos_token_id[1]", line: nil, message: "\(size) is not a token of \(directory)/tokenizer.json (\(size) ids)"))"
        )
        try scratch.edit("generation_config.json") { $0 = $0.replacingOccurrences(of: "    \(size)\n", with: "    \(messageEnd)\n") }

        try FileManager.default.moveItem(atPath: directory + "/tokenizer.json", toPath: scratch.root + "/moved.json")
        let noTokenizer = Self.failure { _ = try ModelFolder.read(directory: directory) }
        #expect(noTokenizer == "\(FactoryError.fileNotFound(path: directory + "/tokenizer.json"))")
    }

    @Test func aTokenizerLargerThanTheVocabularyIsAnError() throws {
        var small = Self.config
        small.vocabSize = 200
        let scratch = try Scratch()
        let refused = Self.failure {
            try LagunaCheckpoint.write(model: LagunaModel.initialized(small, seed: 1), to: scratch.checkpoint, tokenizer: scratch.tokenizerPath)
        }
        #expect(refused.contains("\(scratch.tokenizerPath) has \(scratch.vocabularySize) tokens, more than vocab_size 200"), "\(refused)")
        try LagunaCheckpoint.write(model: LagunaModel.initialized(small, seed: 1), to: scratch.checkpoint)
        try FileManager.default.copyItem(atPath: scratch.tokenizerPath, toPath: scratch.checkpoint + "/tokenizer.json")
        let message = Self.failure { _ = try ModelFolder.read(directory: scratch.checkpoint) }
        #expect(message.contains("vocab_size") && message.contains("200 is smaller than the \(scratch.vocabularySize) tokens of"), "\(message)")
    }
}
