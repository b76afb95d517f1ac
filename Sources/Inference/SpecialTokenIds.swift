import FactoryCore
import Foundation

/// The special token ids of a Hugging Face JSON file, `config.json` or `generation_config.json`:
/// `bos_token_id`, `pad_token_id` and `eos_token_id`, which may be one id or a list. Other keys
/// are not looked at.
struct SpecialTokenIds {
    var bos: Int?
    var pad: Int?
    var eos: [Int] = []
    /// Whether `eos_token_id` is a list (for the key path in errors).
    var eosIsList = false

    /// The ids in the file at `path`; none when there is no such file.
    ///
    /// Throws `FactoryError.config` naming the file and key when it is not a JSON object or an id
    /// is not an integer.
    static func read(path: String) throws -> SpecialTokenIds {
        guard let data = FileManager.default.contents(atPath: path) else { return SpecialTokenIds() }
        guard case .object(let root) = try JSONValue.parse(Array(data), source: path) else {
            throw FactoryError.config(file: path, keyPath: "", line: nil, message: "expected a JSON object")
        }
        func integer(_ value: JSONValue?, key: String) throws -> Int? {
            switch value {
            case nil, .null?: return nil
            case .integer(let id)?: return id
            case let other?: throw FactoryError.config(file: path, keyPath: key, line: nil, message: "expected a token id, got \(other)")
            }
        }
        var ids = SpecialTokenIds()
        ids.bos = try integer(root["bos_token_id"], key: "bos_token_id")
        ids.pad = try integer(root["pad_token_id"], key: "pad_token_id")
        if case .array(let list)? = root["eos_token_id"] {
            ids.eosIsList = true
            ids.eos = try list.enumerated().map { index, value in
                guard let id = try integer(value, key: "eos_token_id[\(index)]") else {
                    throw FactoryError.config(file: path, keyPath: "eos_token_id[\(index)]", line: nil, message: "expected a token id, got null")
                }
                return id
            }
        } else if let id = try integer(root["eos_token_id"], key: "eos_token_id") {
            ids.eos = [id]
        }
        return ids
    }

    /// The key of `eos[index]` in the file.
    func eosKey(_ index: Int) -> String { eosIsList ? "eos_token_id[\(index)]" : "eos_token_id" }
}
