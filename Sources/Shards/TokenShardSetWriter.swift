import Documents
import FactoryCore
import Foundation
import Tokenization

/// Encodes JSON Lines document files into one folder of token shards, a shard set per domain
/// (what `factory shards build` and the pipeline's `shards` stage write).
public enum TokenShardSetWriter {
    /// Encodes every document of `documentFiles`, in file and line order, with `tokenizer` into
    /// `directory` (created when missing) and returns each domain's manifest, sorted by domain.
    /// The files depend only on the documents, the tokenizer and `options.maxTokensPerShard`.
    ///
    /// - Throws: ``FactoryError`` naming the file for a missing or malformed input and the folder
    ///   when it cannot be created.
    public static func write(
        documentFiles: [String], tokenizer: Tokenizer, to directory: String, options: TokenShardBuilder.Options
    ) throws -> [TokenShardManifest] {
        try FilePath.createFolder(directory)
        let total = try documentFiles.reduce(0) { $0 + (try lineCount(of: $1)) }
        let progress = ProgressReporter(label: "tokenize", total: total, unit: "docs")
        var builders = [String: TokenShardBuilder]()
        for file in documentFiles {
            let reader = try JSONLinesReader(path: file)
            while let document = try reader.nextDocument() {
                let builder =
                    try builders[document.domain]
                    ?? TokenShardBuilder(
                        tokenizer: tokenizer, domain: document.domain, directory: directory, options: options, progress: progress)
                builders[document.domain] = builder
                try builder.append(document.text)
            }
        }
        let manifests = try builders.keys.sorted().map { try builders[$0]!.finish() }
        progress.finish()
        return manifests
    }

    /// Lines in a file: an upper bound on its documents, for the progress bar.
    private static func lineCount(of path: String) throws -> Int {
        guard let data = FileManager.default.contents(atPath: path) else { throw FactoryError.fileNotFound(path: path) }
        return data.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }
}
