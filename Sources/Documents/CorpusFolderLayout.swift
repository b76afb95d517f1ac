import FactoryCore
import Foundation

/// One domain folder of a corpus folder (`factory corpus build` or `factory curate run` output):
/// `FOLDER/train.jsonl` and, when present, `FOLDER/validation.jsonl`.
public struct CorpusFolderPart: Equatable, Sendable {
    /// The folder's name (the domain).
    public var name: String
    /// The training documents' file.
    public var trainPath: String
    /// The validation documents' file, if the folder has one.
    public var validationPath: String?
}

/// Reads the domain folders of a corpus folder and writes curated ones in the same layout.
public enum CorpusFolderLayout {
    /// The training file's name in a domain folder.
    public static let trainFile = "train.jsonl"
    /// The validation file's name in a domain folder.
    public static let validationFile = "validation.jsonl"

    /// The domain folders of `directory` that hold a `train.jsonl`, by name.
    ///
    /// - Throws: ``FactoryError/fileNotFound(path:)`` for a missing folder, and
    ///   ``FactoryError/corrupt(path:reason:)`` when no domain folder has a training file.
    public static func parts(of directory: String) throws -> [CorpusFolderPart] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw FactoryError.fileNotFound(path: directory)
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            throw FactoryError.io(path: directory, operation: "list the corpus folder", reason: error.localizedDescription)
        }
        let parts = names.compactMap { name -> CorpusFolderPart? in
            let train = "\(directory)/\(name)/\(trainFile)"
            guard FileManager.default.fileExists(atPath: train) else { return nil }
            let validation = "\(directory)/\(name)/\(validationFile)"
            return CorpusFolderPart(
                name: name, trainPath: train, validationPath: FileManager.default.fileExists(atPath: validation) ? validation : nil)
        }
        guard !parts.isEmpty else {
            throw FactoryError.corrupt(
                path: directory, reason: "no DOMAIN/\(trainFile) files: not a corpus folder (build one with `factory corpus build`)")
        }
        return parts
    }

    /// The training documents of every part, read in parallel, in part order.
    public static func readTraining(_ parts: [CorpusFolderPart], pool: ThreadPool) throws -> [[Document]] {
        let results: [Result<[Document], any Error>] = ParallelChunks.map(count: parts.count, grain: 1, pool: pool) { range in
            range.map { index in Result { try JSONLinesReader.readDocuments(path: parts[index].trainPath) } }
        }
        return try results.map { try $0.get() }
    }

    /// Writes `documents[i]` as the training file of `parts[i]` under `directory` (creating the
    /// domain folders), copies each part's validation file unchanged, and returns the written
    /// files' paths. Every file is written atomically.
    public static func write(training documents: [[Document]], parts: [CorpusFolderPart], to directory: String) throws -> [String] {
        precondition(documents.count == parts.count, "one document list per part")
        var written = [String]()
        for (part, partDocuments) in zip(parts, documents) {
            let folder = "\(directory)/\(part.name)"
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw FactoryError.io(path: folder, operation: "create the folder", reason: error.localizedDescription)
            }
            let train = "\(folder)/\(trainFile)"
            _ = try JSONLinesWriter.write(partDocuments, toPath: train)
            written.append(train)
            if let source = part.validationPath {
                guard let bytes = FileManager.default.contents(atPath: source) else {
                    throw FactoryError.io(path: source, operation: "read", reason: "the file could not be read")
                }
                let validation = "\(folder)/\(validationFile)"
                try AtomicFile.write(bytes, toPath: validation)
                written.append(validation)
            }
        }
        return written
    }
}
