import ArgumentParser
import Documents
import FactoryCore
import Foundation
import Lineage
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

    func run() throws {
        let loaded = try Tokenizer.load(path: tokenizer)
        try store.recordStage(
            kind: "shard-build", name: URL(fileURLWithPath: output).lastPathComponent,
            config: RunConfig(value: .table(["max_shard_tokens": .integer(maxShardTokens)])),
            inputs: inputs.map { StageArtifact(path: $0, kind: "dataset", role: "documents") }
                + [StageArtifact(path: tokenizer, kind: "tokenizer", role: "tokenizer")]
        ) {
            try build(with: loaded)
            return [StageArtifact(path: output, kind: "shard-set", role: "shards")]
        }
    }

    /// Encodes every input into the output folder and prints one line per domain.
    private func build(with loaded: Tokenizer) throws {
        do {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        } catch {
            throw FactoryError.io(path: output, operation: "create the folder", reason: error.localizedDescription)
        }
        let total = try inputs.reduce(0) { $0 + (try Self.lineCount(of: $1)) }
        let progress = ProgressReporter(label: "tokenize", total: total, unit: "docs")
        let options = TokenShardBuilder.Options(threads: threads, maxTokensPerShard: maxShardTokens)
        var builders = [String: TokenShardBuilder]()
        for input in inputs {
            let reader = try JSONLinesReader(path: input)
            while let document = try reader.nextDocument() {
                let builder = try builders[document.domain] ?? TokenShardBuilder(
                    tokenizer: loaded, domain: document.domain, directory: output, options: options,
                    progress: progress)
                builders[document.domain] = builder
                try builder.append(document.text)
            }
        }
        let manifests = try builders.keys.sorted().map { try builders[$0]!.finish() }
        progress.finish()
        for manifest in manifests {
            print("\(manifest.domain): \(manifest.documents) documents, \(manifest.tokens) tokens in \(manifest.shards.count) shards -> \(output)/\(TokenShardManifest.fileName(domain: manifest.domain))")
        }
    }

    /// Lines in a file: an upper bound on its documents, for the progress bar.
    private static func lineCount(of path: String) throws -> Int {
        guard let data = FileManager.default.contents(atPath: path) else { throw FactoryError.fileNotFound(path: path) }
        return data.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
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
            print("\(path): ok, \(shard.header.tokenCount) tokens, \(shard.documentCount) documents, vocab_size \(shard.header.vocabularySize), digest \(shard.header.digest)")
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
        print("\(manifest.domain): \(manifest.documents) documents, \(manifest.tokens) tokens, vocab_size \(manifest.vocabularySize), tokenizer \(manifest.tokenizerDigest)")
    }
}
