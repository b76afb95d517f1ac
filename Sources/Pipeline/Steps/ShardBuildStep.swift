import FactoryCore
import Foundation
import Lineage
import Shards
import Tokenization

/// `factory shards build` as a library call: JSON Lines documents encoded into token shards per
/// domain (``TokenShardSetWriter``), recorded as a `shard-build` run that used the documents and
/// the tokenizer and produced the shard folder.
public struct ShardBuildStep: Sendable {
    /// JSON Lines document files.
    public var inputs: [String]
    /// The `tokenizer.json` to encode with.
    public var tokenizer: String
    /// The output folder (created when missing).
    public var output: String
    /// Encoding threads; the shards do not depend on it.
    public var threads: Int
    /// The most tokens per shard file.
    public var maxShardTokens: Int

    /// Step defaults match `factory shards build`'s.
    public init(inputs: [String], tokenizer: String, output: String, threads: Int = HostInfo.activeCores, maxShardTokens: Int = 1 << 26) {
        self.inputs = inputs
        self.tokenizer = tokenizer
        self.output = output
        self.threads = threads
        self.maxShardTokens = maxShardTokens
    }

    /// Encodes the shards and records the run in `store`; returns each domain's manifest.
    ///
    /// - Throws: ``FactoryError`` naming an input that is not a regular file before anything is
    ///   read or recorded (the store would otherwise hash a device such as `/dev/zero` forever).
    public func run(in store: FactoryStore) throws -> (record: StageRecord, manifests: [TokenShardManifest]) {
        for input in inputs { try FileKind.requireRegularFile(input, name: "input file") }
        let loaded = try Tokenizer.load(path: tokenizer)
        var manifests = [TokenShardManifest]()
        let record = try store.recordStage(
            kind: "shard-build", name: URL(fileURLWithPath: output).lastPathComponent,
            config: RunConfig(value: .table(["max_shard_tokens": .integer(maxShardTokens)])),
            inputs: inputs.map { StageArtifact(path: $0, kind: "dataset", role: "documents") }
                + [StageArtifact(path: tokenizer, kind: "tokenizer", role: "tokenizer")]
        ) {
            manifests = try TokenShardSetWriter.write(
                documentFiles: inputs, tokenizer: loaded, to: output,
                options: TokenShardBuilder.Options(threads: threads, maxTokensPerShard: maxShardTokens))
            return [StageArtifact(path: output, kind: "shard-set", role: "shards")]
        }
        return (record, manifests)
    }
}
