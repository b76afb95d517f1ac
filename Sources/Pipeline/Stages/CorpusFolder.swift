import FactoryCore
import Foundation

/// A corpus folder as `factory corpus build` and `factory curate run` write it: one folder per
/// domain holding `train.jsonl` and `validation.jsonl`.
enum CorpusFolder {
    /// The `split` files (`train.jsonl`, `validation.jsonl`) of every domain under `folder`, by domain.
    static func files(in folder: String, split: String) throws -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        } catch {
            throw FactoryError.io(path: folder, operation: "list the corpus folder", reason: error.localizedDescription)
        }
        let files = names.map { "\(folder)/\($0)/\(split).jsonl" }.filter { FileManager.default.fileExists(atPath: $0) }
        guard !files.isEmpty else {
            throw FactoryError.corrupt(path: folder, reason: "no DOMAIN/\(split).jsonl files: not a corpus folder")
        }
        return files
    }
}
