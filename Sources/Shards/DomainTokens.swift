import FactoryCore
import Foundation

/// The token stream of every domain in a shard folder (`factory shards build` output): each
/// domain's shards concatenated in manifest order, documents separated by `<|endoftext|>`.
public struct DomainTokens: Sendable {
    /// Domain name → its tokens.
    public let streams: [String: [UInt32]]
    /// The vocabulary size the shards were encoded with.
    public let vocabularySize: Int
    /// The digest of the tokenizer that encoded them.
    public let tokenizerDigest: Digest

    /// Domains in sorted order.
    public var domains: [String] { streams.keys.sorted() }

    /// Loads every `<domain>.manifest.json` in `directory` and the shards they list, verifying
    /// each shard; all domains must share one tokenizer.
    public init(directory: String) throws {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw FactoryError.fileNotFound(path: directory)
        }
        let manifests = try names.filter { $0.hasSuffix(".manifest.json") }.sorted().map {
            try TokenShardManifest.load(path: directory + "/" + $0)
        }
        guard let first = manifests.first else {
            throw FactoryError.invalidArgument(
                name: "shard folder", message: "\(directory) holds no <domain>.manifest.json (build it with `factory shards build`)")
        }
        var streams = [String: [UInt32]]()
        for manifest in manifests {
            guard manifest.tokenizerDigest == first.tokenizerDigest, manifest.vocabularySize == first.vocabularySize else {
                throw FactoryError.corrupt(
                    path: directory + "/" + TokenShardManifest.fileName(domain: manifest.domain),
                    reason: "encoded with a different tokenizer than \(first.domain)")
            }
            var tokens = [UInt32]()
            tokens.reserveCapacity(manifest.tokens)
            for shard in manifest.shards {
                tokens += try TokenShard.read(path: directory + "/" + shard.file).tokens
            }
            streams[manifest.domain] = tokens
        }
        self.streams = streams
        vocabularySize = first.vocabularySize
        tokenizerDigest = first.tokenizerDigest
    }

    /// Token counts per domain.
    var tokenCounts: [String: Int] { streams.mapValues(\.count) }
}
