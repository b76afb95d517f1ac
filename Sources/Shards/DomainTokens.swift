import FactoryCore
import Foundation
import Tokenization

/// The token stream of every domain in a shard folder (`factory shards build` output): each
/// domain's shards concatenated in manifest order, documents separated by `<|endoftext|>`.
public struct DomainTokens: Sendable {
    /// The shard folder the streams were read from.
    public let directory: String
    /// Domain name → its tokens.
    public let streams: [String: [UInt32]]
    /// The vocabulary size the shards were encoded with.
    public let vocabularySize: Int
    /// The digest of the tokenizer that encoded them.
    public let tokenizerDigest: Digest

    /// Domains in sorted order.
    public var domains: [String] { streams.keys.sorted() }

    /// Loads every `<domain>.manifest.json` in `directory` and the shards they list, trusting
    /// nothing the files say until it is checked:
    ///
    /// - each manifest is consistent in itself (``TokenShardManifest/validate(path:)``: a
    ///   non-empty list of distinct file names inside the folder, totals equal to the entries'
    ///   sums), is named after its domain, and no two manifests name one domain or list one shard;
    /// - all domains share one tokenizer and vocabulary;
    /// - the tokens fit in memory (``MemoryBudget``) before anything is read;
    /// - every shard is a regular file whose size matches its header, whose header matches its
    ///   manifest entry (tokens, documents, digest, vocabulary), and whose contents hash to its
    ///   digest (``TokenShard/read(path:)``).
    ///
    /// - Throws: ``FactoryError`` naming the manifest and the key, or the shard file, of the first
    ///   problem.
    public init(directory: String) throws {
        guard try FileKind.of(directory, name: "shard folder") == .folder else {
            throw FactoryError.invalidArgument(name: "shard folder \(directory)", message: "is a file, not a folder of shards")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw FactoryError.io(path: directory, operation: "list the folder", reason: error.localizedDescription)
        }
        let manifests = try names.filter { $0.hasSuffix(".manifest.json") }.sorted().map { name in
            let path = directory + "/" + name
            return (path: path, name: name, manifest: try TokenShardManifest.load(path: path))
        }
        guard let first = manifests.first else {
            throw FactoryError.invalidArgument(
                name: "shard folder", message: "\(directory) holds no <domain>.manifest.json (build it with `factory shards build`)")
        }
        var manifestOfDomain = [String: String]()
        var manifestOfShard = [String: String]()
        var totalTokens = 0
        for (path, name, manifest) in manifests {
            func fail(_ keyPath: String, _ message: String) -> FactoryError {
                .config(file: path, keyPath: keyPath, line: nil, message: message)
            }
            if let other = manifestOfDomain[manifest.domain] {
                throw fail("domain", "'\(manifest.domain)' is also the domain of \(other); one of them would be dropped")
            }
            manifestOfDomain[manifest.domain] = path
            for (index, shard) in manifest.shards.enumerated() {
                if let other = manifestOfShard[shard.file] {
                    throw fail("shards[\(index)].file", "'\(shard.file)' is also listed by \(other); its documents would be read twice")
                }
                manifestOfShard[shard.file] = path
            }
            guard manifest.tokenizerDigest == first.manifest.tokenizerDigest, manifest.vocabularySize == first.manifest.vocabularySize
            else {
                throw fail(
                    "tokenizer_digest",
                    "encoded with a different tokenizer (\(manifest.tokenizerDigest), vocab_size \(manifest.vocabularySize)) than \(first.path) (\(first.manifest.tokenizerDigest), vocab_size \(first.manifest.vocabularySize))"
                )
            }
        }
        for (path, name, manifest) in manifests {
            guard name == TokenShardManifest.fileName(domain: manifest.domain) else {
                throw FactoryError.config(
                    file: path, keyPath: "domain", line: nil,
                    message: "'\(manifest.domain)' does not match the file name (expected \(TokenShardManifest.fileName(domain: manifest.domain)))")
            }
            try MemoryBudget.require(
                MemoryBudget.product(manifest.tokens, MemoryLayout<UInt32>.size),
                for: "the domain '\(manifest.domain)' (\(manifest.tokens) tokens)", name: "\(path): key 'tokens'")
            totalTokens += manifest.tokens
        }
        try MemoryBudget.require(
            MemoryBudget.product(totalTokens, MemoryLayout<UInt32>.size),
            for: "the token streams of \(manifests.count) domains (\(totalTokens) tokens)", name: "shard folder \(directory)")
        var streams = [String: [UInt32]]()
        for (path, _, manifest) in manifests {
            var tokens = [UInt32]()
            tokens.reserveCapacity(manifest.tokens)
            for (index, entry) in manifest.shards.enumerated() {
                tokens += try Self.readShard(entry, in: directory, manifest: manifest, manifestPath: path, index: index).tokens
            }
            streams[manifest.domain] = tokens
        }
        self.directory = directory
        self.streams = streams
        vocabularySize = first.manifest.vocabularySize
        tokenizerDigest = first.manifest.tokenizerDigest
    }

    /// Reads one listed shard after checking its header against the manifest entry.
    private static func readShard(
        _ entry: TokenShardManifest.Shard, in directory: String, manifest: TokenShardManifest, manifestPath: String, index: Int
    ) throws -> TokenShard {
        let path = directory + "/" + entry.file
        try FileKind.requireRegularFile(path, name: "\(manifestPath): key 'shards[\(index)].file'")
        let header = try TokenShard.readHeader(path: path)
        var differences = [String]()
        if header.tokenCount != UInt64(entry.tokens) { differences.append("\(header.tokenCount) tokens, the manifest says \(entry.tokens)") }
        if header.documentCount != UInt64(entry.documents) {
            differences.append("\(header.documentCount) documents, the manifest says \(entry.documents)")
        }
        if header.digest != entry.digest { differences.append("digest \(header.digest), the manifest says \(entry.digest)") }
        if Int(header.vocabularySize) != manifest.vocabularySize {
            differences.append("vocab_size \(header.vocabularySize), the manifest says \(manifest.vocabularySize)")
        }
        guard differences.isEmpty else {
            throw FactoryError.corrupt(
                path: path, reason: "does not match shards[\(index)] of \(manifestPath): \(differences.joined(separator: "; "))")
        }
        return try TokenShard.read(path: path)
    }

    /// Checks that a run's training shards, validation shards and tokenizer belong together:
    /// both shard folders were encoded with one tokenizer, and it is `tokenizer` when one is given.
    ///
    /// - Parameters:
    ///   - tokenizer: the run's tokenizer and the path it was loaded from (`data.tokenizer`).
    ///   - source: the run file, named in the errors with the key (`data.validation`, `data.tokenizer`).
    public static func requireConsistent(
        train: DomainTokens, validation: DomainTokens?, tokenizer: (tokenizer: Tokenizer, path: String)?, source: String
    ) throws {
        if let validation, validation.tokenizerDigest != train.tokenizerDigest || validation.vocabularySize != train.vocabularySize {
            throw FactoryError.config(
                file: source, keyPath: "data.validation", line: nil,
                message:
                    "the shards in \(validation.directory) were encoded with another tokenizer (tokenizer_digest \(validation.tokenizerDigest), vocab_size \(validation.vocabularySize)) than the training shards in \(train.directory) (\(train.tokenizerDigest), vocab_size \(train.vocabularySize))"
            )
        }
        if let tokenizer {
            try train.requireTokenizer(tokenizer.tokenizer, path: tokenizer.path, name: "\(source): key 'data.tokenizer'")
        }
    }

    /// Checks that `tokenizer` (loaded from `path`) is the one these shards were encoded with: the
    /// digest of its `tokenizer.json` (as ``Tokenizer/jsonBytes()`` writes it) must equal the
    /// manifests' `tokenizer_digest`. Training or evaluating with another tokenizer would ship
    /// the wrong one with the checkpoint and measure bits per byte with the wrong token texts.
    ///
    /// - Parameter name: the setting that named the tokenizer (`run.toml: key 'data.tokenizer'`,
    ///   `--tokenizer`); it names the error.
    /// - Throws: ``FactoryError/invalidArgument(name:message:)`` with both digests.
    public func requireTokenizer(_ tokenizer: Tokenizer, path: String, name: String) throws {
        let digest = Digest.of(tokenizer.jsonBytes())
        guard digest == tokenizerDigest else {
            throw FactoryError.invalidArgument(
                name: name,
                message:
                    "\(path) (digest \(digest)) is not the tokenizer the shards in \(directory) were encoded with (tokenizer_digest \(tokenizerDigest)); use that tokenizer.json or rebuild the shards with this one"
            )
        }
    }
}
