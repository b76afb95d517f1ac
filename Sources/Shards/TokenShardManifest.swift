import FactoryCore
import Foundation

/// The list of one domain's token shards, written next to them as `<domain>.manifest.json`.
public struct TokenShardManifest: Codable, Equatable, Sendable {
    /// One shard file of the domain.
    public struct Shard: Codable, Equatable, Sendable {
        /// The file name, relative to the manifest's folder.
        public var file: String
        /// Documents in the shard.
        public var documents: Int
        /// Tokens in the shard, separators included.
        public var tokens: Int
        /// The digest recorded in the shard's header (of its tokens and index).
        public var digest: Digest
    }

    /// The manifest format version.
    public var formatVersion: Int
    /// The domain the documents belong to.
    public var domain: String
    /// SHA-256 of the `tokenizer.json` the shards were encoded with (as ``Tokenizer/jsonBytes()`` gives).
    public var tokenizerDigest: Digest
    /// The vocabulary size recorded in every shard header.
    public var vocabularySize: Int
    /// The separator token after every document.
    var endOfTextId: UInt32
    /// Documents in all shards.
    public var documents: Int
    /// Tokens in all shards.
    public var tokens: Int
    /// The shards in order.
    public var shards: [Shard]

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case domain
        case tokenizerDigest = "tokenizer_digest"
        case vocabularySize = "vocab_size"
        case endOfTextId = "end_of_text_id"
        case documents, tokens, shards
    }

    /// The manifest file name for `domain`.
    public static func fileName(domain: String) -> String { "\(domain).manifest.json" }

    /// Writes the manifest atomically as sorted, indented JSON.
    public func write(toPath path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(self) + Data("\n".utf8), toPath: path)
    }

    /// Reads a manifest; errors name the file and the field.
    public static func load(path: String) throws -> TokenShardManifest {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FactoryError.fileNotFound(path: path)
        }
        do {
            return try JSONDecoder().decode(TokenShardManifest.self, from: data)
        } catch let error as DecodingError {
            let (keyPath, message) = Self.describe(error)
            throw FactoryError.config(file: path, keyPath: keyPath, line: nil, message: message)
        } catch {
            throw FactoryError.config(file: path, keyPath: "", line: nil, message: "\(error)")
        }
    }

    private static func describe(_ error: DecodingError) -> (String, String) {
        func path(_ codingPath: [CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                .trimmingPrefix(".").description
        }
        switch error {
        case .keyNotFound(let key, let context):
            return (path(context.codingPath + [key]), "missing")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return (path(context.codingPath), context.debugDescription)
        case .dataCorrupted(let context):
            return (path(context.codingPath), context.debugDescription)
        @unknown default:
            return ("", "\(error)")
        }
    }
}
