import ArgumentParser
import Documents
import FactoryCore
import Foundation
import Lineage
import Pipeline
import Shards
import Tokenization

/// `factory shards`: token shards per domain.
struct ShardsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shards",
        abstract: "Encode JSON Lines documents into token shards per domain, and check shards.",
        subcommands: [ShardsBuildCommand.self, ShardsInspectCommand.self]
    )
}

/// `factory shards build`: encodes documents into `<domain>-NNNNN.tokens` files and manifests.
struct ShardsBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Encode JSON Lines documents (fields id, text, domain, source, license) into token shards per domain.")

    @Argument(help: "JSON Lines document files.")
    var inputs: [String]

    @Option(help: "The tokenizer.json to encode with.")
    var tokenizer: String

    @Option(name: .shortAndLong, help: "The output folder (created if missing).")
    var output: String

    @Option(help: "Encoding threads (default: all cores).")
    var threads = HostInfo.activeCores

    @Option(help: "The most tokens per shard file.")
    var maxShardTokens = 1 << 26

    @OptionGroup var store: StoreOptions

    func validate() throws {
        try ThreadsOption.validate(threads)
        guard maxShardTokens >= 1 else { throw ValidationError("--max-shard-tokens must be at least 1, got \(maxShardTokens)") }
    }

    func run() throws {
        let step = ShardBuildStep(inputs: inputs, tokenizer: tokenizer, output: output, threads: threads, maxShardTokens: maxShardTokens)
        let (record, manifests) = try step.run(in: store.open())
        for manifest in manifests {
            print(
                "\(manifest.domain): \(manifest.documents) documents, \(manifest.tokens) tokens in \(manifest.shards.count) shards -> \(output)/\(TokenShardManifest.fileName(domain: manifest.domain))"
            )
        }
        store.printLineage(record)
    }
}

/// `factory shards inspect`: validates shards (magic, version, size, digest, index, token range).
struct ShardsInspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect", abstract: "Validate a shard file or a domain manifest and summarize it.")

    @Argument(help: "A .tokens shard or a <domain>.manifest.json.")
    var path: String

    func run() throws {
        guard path.hasSuffix(".manifest.json") else {
            let shard = try TokenShard.read(path: path)
            print(
                "\(path): ok, \(shard.header.tokenCount) tokens, \(shard.documentCount) documents, vocab_size \(shard.header.vocabularySize), digest \(shard.header.digest)"
            )
            return
        }
        let manifest = try TokenShardManifest.load(path: path)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        for entry in manifest.shards {
            let shard = try TokenShard.read(path: folder + "/" + entry.file)
            guard shard.header.digest == entry.digest, shard.header.tokenCount == UInt64(entry.tokens),
                shard.documentCount == entry.documents, Int(shard.header.vocabularySize) == manifest.vocabularySize
            else {
                throw FactoryError.corrupt(path: shard.path, reason: "header does not match its entry in \(path)")
            }
            print("\(entry.file): ok, \(entry.tokens) tokens, \(entry.documents) documents")
        }
        print(
            "\(manifest.domain): \(manifest.documents) documents, \(manifest.tokens) tokens, vocab_size \(manifest.vocabularySize), tokenizer \(manifest.tokenizerDigest)"
        )
    }
}
