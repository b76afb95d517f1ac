import FactoryCore
import Foundation
import Tensors

/// The inspection outputs of DESIGN section 10, which parity checks against other
/// implementations compare: logits and next-token-loss gradients for one token sequence.
public enum LagunaInspection {
    /// Reads a token sequence: a JSON array of non-negative integers (`ids.json`).
    public static func readTokens(jsonAt path: String) throws -> [Int32] {
        guard let data = FileManager.default.contents(atPath: path) else { throw FactoryError.fileNotFound(path: path) }
        guard case .array(let values) = try ConfigValue.parseJSON(Array(data), source: path, nullMembers: .reject) else {
            throw FactoryError.config(file: path, keyPath: "", line: nil, message: "expected a JSON array of token ids")
        }
        guard !values.isEmpty else {
            throw FactoryError.config(file: path, keyPath: "", line: nil, message: "the token array is empty")
        }
        return try values.enumerated().map { index, value in
            guard case .integer(let id) = value, id >= 0, id <= Int(Int32.max) else {
                throw FactoryError.config(
                    file: path, keyPath: "[\(index)]", line: nil, message: "expected a non-negative token id, got \(value.kindName)")
            }
            return Int32(id)
        }
    }

    /// `logits` `[T, V]` for `tokens` as one sequence.
    public static func logits(of model: LagunaModel, tokens: [Int32], pool: ThreadPool = .machineWide) throws -> SafeTensorsFile {
        let batch = try TokenBatch(batch: 1, time: tokens.count, tokens: tokens)
        return SafeTensorsFile(tensors: ["logits": try model.logits(batch, pool: pool)], metadata: ["format": "pt"])
    }

    /// `loss` (0-d: the mean next-token cross-entropy with Hugging Face's `labels = input_ids`
    /// semantics, `TokenBatch.nextTokenTargets`) and one gradient per parameter under its
    /// Hugging Face name, for `tokens` as one sequence of at least two tokens.
    public static func gradients(of model: LagunaModel, tokens: [Int32], pool: ThreadPool = .machineWide) throws -> SafeTensorsFile {
        guard tokens.count >= 2 else {
            throw FactoryError.invalidArgument(name: "tokens", message: "the next-token loss needs at least 2 tokens, got \(tokens.count)")
        }
        let batch = try TokenBatch(batch: 1, time: tokens.count, tokens: tokens)
        let (loss, gradients, _) = try model.lossAndGradients(batch, targets: batch.nextTokenTargets, pool: pool)
        var file = SafeTensorsFile(tensors: ["loss": try Tensor(shape: [], storage: [loss])], metadata: ["format": "pt"])
        for name in gradients.names { file.tensors[name] = gradients[name] }
        return file
    }
}
