import FactoryCore
import Foundation
import Tokenization

/// The tokenizer files of a checkpoint folder and the special token ids they give the model:
/// `tokenizer.json`, `tokenizer_config.json` (`TokenizerConfigFile.factory`) and
/// `generation_config.json`, so that the folder works in `transformers`' text-generation pipeline
/// unchanged: generation stops at the end-of-sequence tokens and batches pad on the left.
struct CheckpointTokenizerFiles {
    /// The generation config file's name.
    static let generationConfigFileName = "generation_config.json"

    /// The tokenizer read from `tokenizer.json`.
    let tokenizer: Tokenizer
    /// Its `tokenizer_config.json`.
    let tokenizerConfig: TokenizerConfigFile
    let bosTokenId: UInt32?
    let eosTokenId: UInt32?
    let padTokenId: UInt32?
    /// Where generation stops: the end of text, and the end of a chat message when the tokenizer
    /// has one.
    let generationEosTokenIds: [UInt32]

    /// The files for the tokenizer at `path`, for a model of `config`. Throws
    /// `FactoryError.invalidArgument` when the tokenizer has more tokens than `vocab_size`.
    init(tokenizerAt path: String, config: LagunaConfig) throws {
        tokenizer = try Tokenizer.load(path: path)
        guard tokenizer.vocabularySize <= config.vocabSize else {
            throw FactoryError.invalidArgument(
                name: "tokenizer", message: "\(path) has \(tokenizer.vocabularySize) tokens, more than vocab_size \(config.vocabSize)")
        }
        let maxLength = config.maxPositionEmbeddings
        tokenizerConfig = TokenizerConfigFile.factory(for: tokenizer, modelMaxLength: maxLength)
        bosTokenId = tokenizerConfig.bosToken.flatMap(tokenizer.addedTokenId)
        eosTokenId = tokenizerConfig.eosToken.flatMap(tokenizer.addedTokenId)
        padTokenId = tokenizerConfig.padToken.flatMap(tokenizer.addedTokenId)
        var stops = eosTokenId.map { [$0] } ?? []
        if let messageEnd = tokenizer.addedTokenId(ChatTokens.messageEnd), !stops.contains(messageEnd) { stops.append(messageEnd) }
        generationEosTokenIds = stops
    }

    /// `config` with the token ids it leaves unset taken from the tokenizer.
    func filling(_ config: LagunaConfig) -> LagunaConfig {
        var config = config
        config.bosTokenId = config.bosTokenId ?? bosTokenId.map(Int.init)
        config.eosTokenId = config.eosTokenId ?? eosTokenId.map(Int.init)
        config.padTokenId = config.padTokenId ?? padTokenId.map(Int.init)
        return config
    }

    /// Writes `tokenizer_config.json` and `generation_config.json` (with `config`'s ids, and
    /// every generation stop as `eos_token_id`) into `directory`.
    func write(to directory: String, config: LagunaConfig) throws {
        try AtomicFile.write(tokenizerConfig.encoded(tokenizer: tokenizer), toPath: directory + "/" + TokenizerConfigFile.fileName)
        var eos = generationEosTokenIds.map(Int.init)
        if let configured = config.eosTokenId, !eos.contains(configured) { eos.insert(configured, at: 0) }
        var fields: [(String, String)] = []
        if let bos = config.bosTokenId { fields.append(("bos_token_id", String(bos))) }
        if eos.count == 1 {
            fields.append(("eos_token_id", String(eos[0])))
        } else if !eos.isEmpty {
            fields.append(("eos_token_id", "[\n    " + eos.map(String.init).joined(separator: ",\n    ") + "\n  ]"))
        }
        if let pad = config.padTokenId { fields.append(("pad_token_id", String(pad))) }
        let body = fields.map { "  \"\($0.0)\": \($0.1)" }.joined(separator: ",\n")
        try AtomicFile.write(
            Data(("{\n" + body + (fields.isEmpty ? "" : "\n") + "}\n").utf8), toPath: directory + "/" + Self.generationConfigFileName)
    }
}
