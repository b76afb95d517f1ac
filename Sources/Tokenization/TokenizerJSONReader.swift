import FactoryCore
import Foundation

/// Reads Hugging Face `tokenizer.json` files that describe byte-level BPE tokenizers.
///
/// Accepted: model `BPE` (merges as `["a", "b"]` pairs or legacy `"a b"` strings, `ignore_merges`,
/// `unk_token`, `fuse_unk`); pre-tokenizer `Sequence[Split(Regex, Isolated), ByteLevel(use_regex:
/// false)]` with a pattern ``PreTokenizerPattern`` implements, or `ByteLevel(use_regex: true)`
/// alone (GPT-2); a `ByteLevel` decoder; no normalizer; added tokens without `lstrip`, `rstrip` or
/// `single_word`. Post-processors are not applied, so ids equal `tokenizers`'
/// `encode(text, add_special_tokens=False)`. Anything else is refused with an error naming the
/// file and the field.
extension Tokenizer {
    /// Loads the `tokenizer.json` at `path`.
    public static func load(path: String) throws -> Tokenizer {
        guard FileManager.default.fileExists(atPath: path) else { throw FactoryError.fileNotFound(path: path) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw FactoryError.io(path: path, operation: "read", reason: "\(error.localizedDescription)")
        }
        return try Tokenizer(json: data, source: path)
    }

    /// Parses `tokenizer.json` contents; `source` names the file in errors.
    public init(json: Data, source: String) throws {
        let reader = TokenizerJSONReader(source: source)
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: json)
        } catch {
            throw reader.error("", "not valid JSON (\(Self.describeJSONError(error)))")
        }
        let top = try reader.object(root, "")
        let model = try reader.object(top["model"], "model")
        if let type = model["type"] {
            let name = try reader.string(type, "model.type")
            guard name == "BPE" else {
                throw reader.error("model.type", "unknown model type '\(name)'; only byte-level BPE is supported")
            }
        }
        try reader.requireNull(top["normalizer"], "normalizer", what: "normalizers are not supported")
        for field in ["dropout", "continuing_subword_prefix", "end_of_word_suffix"] {
            try reader.requireNull(model[field], "model.\(field)", what: "BPE \(field) is not supported")
        }
        if try reader.bool(model["byte_fallback"], "model.byte_fallback", default: false) {
            throw reader.error("model.byte_fallback", "byte fallback is not supported (byte-level BPE needs none)")
        }
        let pattern = try reader.preTokenizerPattern(top["pre_tokenizer"])
        try reader.checkDecoder(top["decoder"])
        let vocabulary = try reader.vocabulary(model["vocab"])
        let merges = try reader.merges(model["merges"], vocabulary: vocabulary)
        let addedTokens = try reader.addedTokens(top["added_tokens"])
        let unknownToken = model["unk_token"].flatMap { $0 is NSNull ? nil : $0 }
        try self.init(
            pattern: pattern, vocabulary: vocabulary.byId, merges: merges, addedTokens: addedTokens,
            ignoreMerges: try reader.bool(model["ignore_merges"], "model.ignore_merges", default: false),
            unknownToken: try unknownToken.map { try reader.string($0, "model.unk_token") },
            fuseUnknown: try reader.bool(model["fuse_unk"], "model.fuse_unk", default: false),
            source: source)
    }

    private static func describeJSONError(_ error: Error) -> String {
        let nsError = error as NSError
        return (nsError.userInfo[NSDebugDescriptionErrorKey] as? String) ?? nsError.localizedDescription
    }
}

/// Field-by-field reading of a parsed `tokenizer.json`, with errors that name the field.
private struct TokenizerJSONReader {
    let source: String

    /// The model vocabulary by id, and ids by string.
    struct Vocabulary {
        var byId: [String?]
        var idsByString: [String: UInt32]
    }

    func error(_ keyPath: String, _ message: String) -> FactoryError {
        FactoryError.config(file: source, keyPath: keyPath, line: nil, message: message)
    }

    func object(_ value: Any?, _ keyPath: String) throws -> [String: Any] {
        guard let value else { throw error(keyPath, "missing (expected a JSON object)") }
        guard let object = value as? [String: Any] else { throw error(keyPath, "expected a JSON object") }
        return object
    }

    func string(_ value: Any?, _ keyPath: String) throws -> String {
        guard let value else { throw error(keyPath, "missing (expected a string)") }
        guard let string = value as? String else { throw error(keyPath, "expected a string") }
        return string
    }

    func bool(_ value: Any?, _ keyPath: String, default fallback: Bool) throws -> Bool {
        guard let value, !(value is NSNull) else { return fallback }
        guard let flag = value as? Bool else { throw error(keyPath, "expected true or false") }
        return flag
    }

    /// A token id: an integer from 0 to ``Tokenizer/largestTokenId``.
    func id(_ value: Any?, _ keyPath: String) throws -> UInt32 {
        guard let id = value as? Int, id >= 0 else {
            throw error(keyPath, "expected a token id (an integer from 0 to \(Tokenizer.largestTokenId))")
        }
        guard id <= Int(Tokenizer.largestTokenId) else {
            throw error(
                keyPath,
                "token id \(id) is above the largest id accepted (\(Tokenizer.largestTokenId)); the tables for it would need "
                    + (Tokenizer.tableBytes(largestId: id).map(MemoryBudget.describe) ?? "more than 8 EiB"))
        }
        return UInt32(id)
    }

    /// Accepts an absent field, `null`, `false` or an empty string; otherwise throws `what`.
    func requireNull(_ value: Any?, _ keyPath: String, what: String) throws {
        guard let value, !(value is NSNull) else { return }
        if let string = value as? String, string.isEmpty { return }
        throw error(keyPath, what)
    }

    func preTokenizerPattern(_ value: Any?) throws -> PreTokenizerPattern {
        let preTokenizer = try object(value, "pre_tokenizer")
        let type = try string(preTokenizer["type"], "pre_tokenizer.type")
        switch type {
        case "ByteLevel":
            try checkByteLevel(preTokenizer, "pre_tokenizer", useRegex: true)
            return .gpt2
        case "Sequence":
            guard let steps = preTokenizer["pretokenizers"] as? [Any], steps.count == 2 else {
                throw error(
                    "pre_tokenizer.pretokenizers",
                    "expected two steps, Split (the pattern) then ByteLevel (use_regex false)")
            }
            let split = try object(steps[0], "pre_tokenizer.pretokenizers[0]")
            let byteLevel = try object(steps[1], "pre_tokenizer.pretokenizers[1]")
            guard try string(split["type"], "pre_tokenizer.pretokenizers[0].type") == "Split" else {
                throw error("pre_tokenizer.pretokenizers[0].type", "expected Split")
            }
            guard try string(byteLevel["type"], "pre_tokenizer.pretokenizers[1].type") == "ByteLevel" else {
                throw error("pre_tokenizer.pretokenizers[1].type", "expected ByteLevel")
            }
            try checkByteLevel(byteLevel, "pre_tokenizer.pretokenizers[1]", useRegex: false)
            return try splitPattern(split, "pre_tokenizer.pretokenizers[0]")
        default:
            throw error("pre_tokenizer.type", "pre-tokenizer '\(type)' is not supported (expected ByteLevel or Sequence)")
        }
    }

    private func splitPattern(_ split: [String: Any], _ keyPath: String) throws -> PreTokenizerPattern {
        let pattern = try object(split["pattern"], "\(keyPath).pattern")
        let regex = try string(pattern["Regex"], "\(keyPath).pattern.Regex")
        guard let known = PreTokenizerPattern(regex: regex) else {
            throw error(
                "\(keyPath).pattern.Regex",
                "pattern '\(regex)' is not one the pre-tokenizer implements (\(PreTokenizerPattern.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        let behavior = try string(split["behavior"], "\(keyPath).behavior")
        guard behavior == "Isolated" else { throw error("\(keyPath).behavior", "expected Isolated, found \(behavior)") }
        guard try !bool(split["invert"], "\(keyPath).invert", default: false) else {
            throw error("\(keyPath).invert", "inverted splits are not supported")
        }
        return known
    }

    private func checkByteLevel(_ byteLevel: [String: Any], _ keyPath: String, useRegex: Bool) throws {
        if try bool(byteLevel["add_prefix_space"], "\(keyPath).add_prefix_space", default: false) {
            throw error("\(keyPath).add_prefix_space", "add_prefix_space true is not supported")
        }
        guard try bool(byteLevel["use_regex"], "\(keyPath).use_regex", default: true) == useRegex else {
            throw error("\(keyPath).use_regex", "expected \(useRegex) here")
        }
    }

    func checkDecoder(_ value: Any?) throws {
        let decoder = try object(value, "decoder")
        let type = try string(decoder["type"], "decoder.type")
        guard type == "ByteLevel" else {
            throw error("decoder.type", "decoder '\(type)' is not supported (expected ByteLevel)")
        }
    }

    func vocabulary(_ value: Any?) throws -> Vocabulary {
        let entries = try object(value, "model.vocab")
        let ids = try entries.map { string, rawId in (string, try self.id(rawId, "model.vocab[\"\(string)\"]")) }
        if let largest = ids.max(by: { $0.1 < $1.1 }) {
            try MemoryBudget.require(
                Tokenizer.tableBytes(largestId: Int(largest.1)),
                for: "the tokenizer's tables for ids up to \(largest.1)", name: "\(source): model.vocab[\"\(largest.0)\"]")
        }
        var byId = [String?](repeating: nil, count: Int(ids.map(\.1).max().map { $0 + 1 } ?? 0))
        var idsByString = [String: UInt32](minimumCapacity: entries.count)
        for (string, id) in ids {
            if let other = byId[Int(id)] {
                throw error("model.vocab[\"\(string)\"]", "id \(id) is also given to '\(other)'")
            }
            byId[Int(id)] = string
            idsByString[string] = id
        }
        return Vocabulary(byId: byId, idsByString: idsByString)
    }

    func merges(_ value: Any?, vocabulary: Vocabulary) throws -> [BPEMerge] {
        guard let value else { throw error("model.merges", "missing (expected an array)") }
        guard let entries = value as? [Any] else { throw error("model.merges", "expected an array") }
        return try entries.enumerated().map { rank, entry in
            let keyPath = "model.merges[\(rank)]"
            let parts: [String]
            if let pair = entry as? [Any] {
                parts = try pair.enumerated().map { try string($1, "\(keyPath)[\($0)]") }
            } else if let line = entry as? String {
                parts = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            } else {
                throw error(keyPath, "expected a pair of tokens")
            }
            guard parts.count == 2 else { throw error(keyPath, "expected exactly two tokens, found \(parts.count)") }
            guard let left = vocabulary.idsByString[parts[0]], let right = vocabulary.idsByString[parts[1]] else {
                throw error(keyPath, "merge '\(parts[0])' + '\(parts[1])' names a token that is not in model.vocab")
            }
            return BPEMerge(left: left, right: right)
        }
    }

    func addedTokens(_ value: Any?) throws -> [TokenizerAddedToken] {
        guard let value, !(value is NSNull) else { return [] }
        guard let entries = value as? [Any] else { throw error("added_tokens", "expected an array") }
        return try entries.enumerated().map { index, entry in
            let keyPath = "added_tokens[\(index)]"
            let token = try object(entry, keyPath)
            for flag in ["lstrip", "rstrip", "single_word"]
            where try bool(token[flag], "\(keyPath).\(flag)", default: false) {
                throw error("\(keyPath).\(flag)", "\(flag) true is not supported")
            }
            let content = try string(token["content"], "\(keyPath).content")
            guard !content.isEmpty else { throw error("\(keyPath).content", "empty added token") }
            let special = try bool(token["special"], "\(keyPath).special", default: false)
            return TokenizerAddedToken(
                id: try id(token["id"], "\(keyPath).id"), content: content, special: special,
                normalized: try bool(token["normalized"], "\(keyPath).normalized", default: !special))
        }
    }
}
