import FactoryCore
import Foundation

/// The token ids of `generation_config.json`, where `eos_token_id` may be one id or a list.
struct GenerationConfigIds {
    static let fileName = "generation_config.json"

    var bos: Int?
    var pad: Int?
    var eos: [Int] = []
    var eosIsList = false

    /// The ids in `directory`'s `generation_config.json`; none when there is no such file.
    static func read(directory: String) throws -> GenerationConfigIds {
        let path = directory + "/" + fileName
        guard let data = FileManager.default.contents(atPath: path) else { return GenerationConfigIds() }
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
        var ids = GenerationConfigIds()
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
}
