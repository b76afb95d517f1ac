import Documents
import FactoryCore
import Foundation
import Tokenization

/// Encodes JSON Lines document files into one folder of token shards, a shard set per domain
/// (what `factory shards build` and the pipeline's `shards` stage write).
public enum TokenShardSetWriter {
    /// Encodes every document of `documentFiles`, in file and line order, with `tokenizer` into
    /// `directory` and returns each domain's manifest, sorted by domain. The files depend only on
    /// the documents, the tokenizer and `options.maxTokensPerShard`.
    ///
    /// The shards are built in a folder beside `directory` and swapped in when complete
    /// (``ShardFolderReplacement``): rebuilding into an existing shard folder leaves exactly the
    /// new domains, and a failed build leaves the old folder as it was.
    ///
    /// - Throws: ``FactoryError`` naming the file for a missing or malformed input (or one that is
    ///   not a regular file), the folder when it cannot be created, and an existing `directory`
    ///   that holds anything but shards.
    public static func write(
        documentFiles: [String], tokenizer: Tokenizer, to directory: String, options: TokenShardBuilder.Options
    ) throws -> [TokenShardManifest] {
        let total = try documentFiles.reduce(0) { $0 + (try lineCount(of: $1)) }
        var manifests = [TokenShardManifest]()
        try ShardFolderReplacement.replace(directory) { staging in
            let progress = ProgressReporter(label: "tokenize", total: total, unit: "docs")
            var builders = [String: TokenShardBuilder]()
            for file in documentFiles {
                let reader = try JSONLinesReader(path: file)
                while let document = try reader.nextDocument() {
                    let builder =
                        try builders[document.domain]
                        ?? TokenShardBuilder(
                            tokenizer: tokenizer, domain: document.domain, directory: staging, options: options, progress: progress)
                    builders[document.domain] = builder
                    try builder.append(document.text)
                }
            }
            manifests = try builders.keys.sorted().map { try builders[$0]!.finish() }
            progress.finish()
        }
        return manifests
    }

    /// Lines in a file: an upper bound on its documents, for the progress bar. Counted in chunks
    /// by ``LineReader``, which also refuses anything but a regular file.
    private static func lineCount(of path: String) throws -> Int {
        let lines = try LineReader(path: path)
        while try lines.nextLine() != nil {}
        return lines.lineNumber
    }
}
