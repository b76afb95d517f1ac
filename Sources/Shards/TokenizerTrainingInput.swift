import Documents
import FactoryCore
import Foundation
import Tokenization

/// The texts a tokenizer trains on or is measured with: the `text` field of every line of a
/// `.jsonl` file, or a whole file otherwise.
public enum TokenizerTrainingInput {
    /// Calls `body` with each text of `path`.
    ///
    /// - Throws: ``FactoryError/corrupt(path:reason:)`` naming the file and line of a document
    ///   without a string `text` field.
    public static func forEachText(in path: String, _ body: (String) throws -> Void) throws {
        guard path.hasSuffix(".jsonl") else {
            try body(readText(path))
            return
        }
        let reader = try JSONLinesReader(path: path)
        while let object = try reader.nextObject() {
            guard let text = object["text"]?.string else {
                throw FactoryError.corrupt(path: path, reason: "line \(reader.lineNumber): field 'text' is missing or not a string")
            }
            try body(text)
        }
    }

    /// A file's contents as text (`-` is standard input); malformed UTF-8 becomes U+FFFD.
    ///
    /// - Throws: ``FactoryError`` for a path that is not a regular file (a device or a FIFO would
    ///   never end) or a file larger than the machine's memory.
    public static func readText(_ path: String) throws -> String {
        if path == "-" { return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) }
        try FileKind.requireRegularFile(path, name: "input file")
        if let size = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? UInt64 {
            try MemoryBudget.require(Int(clamping: size), for: "reading the whole file", name: "input file \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw FactoryError.fileNotFound(path: path) }
        return String(decoding: data, as: UTF8.self)
    }

    /// Trains a tokenizer with `options` on the texts of `inputs`, in order, and writes it to
    /// `output` (atomically).
    ///
    /// - Returns: the tokenizer and the bytes of text it was trained on.
    public static func train(inputs: [String], options: BPETrainer.Options, output: String) throws -> (tokenizer: Tokenizer, textBytes: Int) {
        var trainer = try BPETrainer(options: options)
        for input in inputs { try forEachText(in: input) { trainer.add($0) } }
        let progress = ProgressReporter(
            label: "train", total: options.vocabularySize - 256 - trainer.options.specialTokens.count, unit: "merges")
        let tokenizer = try trainer.train(progress: progress)
        try tokenizer.save(toPath: output)
        return (tokenizer, trainer.textBytes)
    }
}
