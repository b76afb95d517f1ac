import FactoryCore
import Foundation
import Tokenization

/// Encodes the documents of one domain into token shards (``TokenShard``) plus a manifest
/// (``TokenShardManifest``), in parallel.
///
/// Feed texts in order with ``append(_:)`` and call ``finish()``. Texts are encoded in batches on
/// several threads; every document is followed by `<|endoftext|>`; added-token text inside a
/// document (a literal `<|endoftext|>`) is encoded as ordinary text, so documents cannot forge
/// separators. A shard holds whole documents and is closed before it would exceed the token limit
/// (a longer document gets a shard of its own). The files depend only on the texts, the tokenizer
/// and the shard limit, never on the thread count or batch size.
public final class TokenShardBuilder {
    /// How to build.
    public struct Options: Sendable {
        /// Threads that encode.
        public var threads: Int
        /// The most tokens a shard holds (unless one document alone is longer).
        public var maxTokensPerShard: Int
        /// Documents encoded per parallel round (memory versus parallel efficiency).
        public var batchSize: Int

        /// Options; 64 Mi tokens (256 MiB) per shard by default.
        public init(threads: Int = 1, maxTokensPerShard: Int = 1 << 26, batchSize: Int = 2048) {
            self.threads = threads
            self.maxTokensPerShard = maxTokensPerShard
            self.batchSize = batchSize
        }
    }

    /// The domain being built.
    public let domain: String
    /// The folder the shards and manifest go to.
    public let directory: String
    private let tokenizer: Tokenizer
    private let options: Options
    private let progress: ProgressReporter?
    private let endOfText: UInt32
    private var pending: [String] = []
    private var shardTokens: [UInt32] = []
    private var shardOffsets: [UInt64] = [0]
    private var shards: [TokenShardManifest.Shard] = []

    /// A builder writing `<directory>/<domain>-NNNNN.tokens` and `<domain>.manifest.json`.
    ///
    /// - Parameter progress: advanced by one per encoded document; the caller finishes it (one
    ///   reporter can follow several builders).
    public init(
        tokenizer: Tokenizer, domain: String, directory: String, options: Options = Options(),
        progress: ProgressReporter? = nil
    ) throws {
        guard TokenShardManifest.isFileName(domain) else {
            throw FactoryError.invalidArgument(
                name: "domain", message: "'\(domain)' must be letters, digits, '-', '_' or '.' (it names files)")
        }
        guard let endOfText = tokenizer.addedTokenId("<|endoftext|>") else {
            throw FactoryError.invalidArgument(name: "tokenizer", message: "it has no <|endoftext|> token to separate documents")
        }
        guard options.maxTokensPerShard > 0, options.batchSize > 0, options.threads > 0 else {
            throw FactoryError.invalidArgument(name: "shard options", message: "threads, shard size and batch size must be positive")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw FactoryError.fileNotFound(path: directory)
        }
        self.tokenizer = tokenizer
        self.domain = domain
        self.directory = directory
        self.options = options
        self.progress = progress
        self.endOfText = endOfText
    }

    /// Adds the next document.
    public func append(_ text: String) throws {
        pending.append(text)
        if pending.count >= options.batchSize { try encodePending() }
    }

    /// Encodes what is left, writes the last shard and the manifest, and returns the manifest.
    public func finish() throws -> TokenShardManifest {
        try encodePending()
        if shardOffsets.count > 1 { try writeShard() }
        let manifest = TokenShardManifest(
            formatVersion: 1, domain: domain, tokenizerDigest: Digest.of(tokenizer.jsonBytes()),
            vocabularySize: tokenizer.vocabularySize, endOfTextId: endOfText,
            documents: shards.reduce(0) { $0 + $1.documents }, tokens: shards.reduce(0) { $0 + $1.tokens },
            shards: shards)
        try manifest.write(toPath: directory + "/" + TokenShardManifest.fileName(domain: domain))
        return manifest
    }

    private func encodePending() throws {
        guard !pending.isEmpty else { return }
        let encoded = tokenizer.encodeBatch(pending, threads: options.threads, matchingAddedTokens: false)
        for tokens in encoded {
            if shardOffsets.count > 1 && shardTokens.count + tokens.count + 1 > options.maxTokensPerShard {
                try writeShard()
            }
            shardTokens.append(contentsOf: tokens)
            shardTokens.append(endOfText)
            shardOffsets.append(UInt64(shardTokens.count))
        }
        progress?.advance(by: pending.count)
        pending.removeAll(keepingCapacity: true)
    }

    private func writeShard() throws {
        let file = "\(domain)-\(String(format: "%05d", shards.count)).tokens"
        let header = try TokenShardWriter.write(
            tokens: shardTokens, documentOffsets: shardOffsets, vocabularySize: tokenizer.vocabularySize,
            toPath: directory + "/" + file)
        shards.append(
            TokenShardManifest.Shard(
                file: file, documents: shardOffsets.count - 1, tokens: shardTokens.count, digest: header.digest))
        shardTokens.removeAll(keepingCapacity: true)
        shardOffsets = [0]
    }
}
