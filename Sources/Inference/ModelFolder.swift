import FactoryCore
import Foundation
import Models
import Tokenization

/// A model folder ready for generation: the Laguna checkpoint (`config.json` and
/// `model.safetensors` or its shards, written by the factory or by `transformers`), its
/// `tokenizer.json`, and the special tokens and chat format from `tokenizer_config.json`,
/// `config.json` and `generation_config.json`.
public struct ModelFolder: Sendable {
    /// The folder read.
    public let directory: String
    /// The model's name: the folder's last path component.
    public let name: String
    /// The model.
    public let model: LagunaModel
    /// The tokenizer.
    public let tokenizer: Tokenizer
    /// The beginning-of-sequence token, if the folder names one.
    public let bosTokenId: UInt32?
    /// The tokens at which generation stops.
    public let eosTokenIds: Set<UInt32>
    /// The padding token, if the folder names one.
    public let padTokenId: UInt32?
    /// The folder's Jinja chat template, if it has one.
    public let chatTemplate: String?
    /// The factory's chat format when the folder's template is the factory's and the tokenizer
    /// has its tokens; `nil` otherwise (no template, or one the factory cannot render).
    public let chatFormat: ChatFormat?

    /// Reads the folder at `directory`.
    ///
    /// The checkpoint is read (and verified against `factory.json` when there is one) as
    /// `LagunaCheckpoint.read` does. Special tokens: `tokenizer_config.json`'s `bos_token`,
    /// `eos_token` and `pad_token` (texts, looked up in the tokenizer) come first; the ids of
    /// `config.json` and then `generation_config.json` fill what it leaves unset; the end of
    /// sequence is every id any of the three names (`eos_token_id` may be a list in both).
    /// A folder that names no end-of-sequence token at all (factory checkpoints written before
    /// they recorded one) stops at the tokenizer's `<|endoftext|>`, if it has one.
    ///
    /// Errors name the file and field: a missing folder or `tokenizer.json`
    /// (`FactoryError.fileNotFound`); a tokenizer with more tokens than `vocab_size`, a role's
    /// token that is not in the tokenizer, or an id outside it (`FactoryError.config`); and the
    /// errors of `LagunaCheckpoint.read`, `Tokenizer.load` and `TokenizerConfigFile.read`.
    public static func read(directory: String) throws -> ModelFolder {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw FactoryError.fileNotFound(path: directory)
        }
        let tokenizerPath = directory + "/" + LagunaCheckpoint.tokenizerFileName
        guard FileManager.default.fileExists(atPath: tokenizerPath) else { throw FactoryError.fileNotFound(path: tokenizerPath) }
        let model = try LagunaCheckpoint.read(directory: directory).model
        let tokenizer = try Tokenizer.load(path: tokenizerPath)
        let configPath = directory + "/" + LagunaCheckpoint.configFileName
        guard tokenizer.vocabularySize <= model.config.vocabSize else {
            throw FactoryError.config(
                file: configPath, keyPath: "vocab_size", line: nil,
                message: "\(model.config.vocabSize) is smaller than the \(tokenizer.vocabularySize) tokens of \(tokenizerPath)")
        }
        func checked(_ id: Int?, file: String, key: String) throws -> UInt32? {
            guard let id else { return nil }
            guard id >= 0, id < tokenizer.vocabularySize, tokenizer.bytes(ofToken: UInt32(id)) != nil else {
                throw FactoryError.config(
                    file: file, keyPath: key, line: nil,
                    message: "\(id) is not a token of \(tokenizerPath) (\(tokenizer.vocabularySize) ids)")
            }
            return UInt32(id)
        }

        let tokenizerConfigPath = directory + "/" + TokenizerConfigFile.fileName
        let tokenizerConfig =
            FileManager.default.fileExists(atPath: tokenizerConfigPath)
            ? try TokenizerConfigFile.read(path: tokenizerConfigPath) : nil
        func role(_ token: String?, key: String) throws -> UInt32? {
            try TokenizerConfigFile.id(of: token, in: tokenizer, source: tokenizerConfigPath, key: key)
        }
        let generationPath = directory + "/generation_config.json"
        let files = [(configPath, try SpecialTokenIds.read(path: configPath)), (generationPath, try SpecialTokenIds.read(path: generationPath))]

        var bos = try role(tokenizerConfig?.bosToken, key: "bos_token")
        var pad = try role(tokenizerConfig?.padToken, key: "pad_token")
        var eos = Set<UInt32>()
        if let id = try role(tokenizerConfig?.eosToken, key: "eos_token") { eos.insert(id) }
        for (path, ids) in files {
            bos = try bos ?? checked(ids.bos, file: path, key: "bos_token_id")
            pad = try pad ?? checked(ids.pad, file: path, key: "pad_token_id")
            for (index, id) in ids.eos.enumerated() {
                if let id = try checked(id, file: path, key: ids.eosKey(index)) { eos.insert(id) }
            }
        }
        if eos.isEmpty, let endOfText = tokenizer.addedTokenId(ChatTokens.endOfText) { eos.insert(endOfText) }

        let template = tokenizerConfig?.chatTemplate
        let hasChatTokens = ChatTokens.chat.allSatisfy { tokenizer.addedTokenId($0) != nil }
        return ModelFolder(
            directory: directory, name: URL(fileURLWithPath: directory).standardizedFileURL.lastPathComponent, model: model,
            tokenizer: tokenizer, bosTokenId: bos, eosTokenIds: eos, padTokenId: pad, chatTemplate: template,
            chatFormat: template == ChatFormat.jinjaTemplate && hasChatTokens ? ChatFormat() : nil)
    }
}
