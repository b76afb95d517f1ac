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

    /// Reads a manifest and checks that it is consistent in itself (``validate(path:)``); errors
    /// name the file and the field.
    public static func load(path: String) throws -> TokenShardManifest {
        try FileKind.requireRegularFile(path, name: "shard manifest")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FactoryError.fileNotFound(path: path)
        }
        let manifest: TokenShardManifest
        do {
            manifest = try JSONDecoder().decode(TokenShardManifest.self, from: data)
        } catch let error as DecodingError {
            let (keyPath, message) = Self.describe(error)
            throw FactoryError.config(file: path, keyPath: keyPath, line: nil, message: message)
        } catch {
            throw FactoryError.config(file: path, keyPath: "", line: nil, message: "\(error)")
        }
        try manifest.validate(path: path)
        return manifest
    }

    /// Checks what the manifest says about itself, before any shard is opened: the format
    /// version, a domain that names files, a vocabulary that fits a shard header, a non-empty
    /// list of distinct plain file names in the manifest's folder, counts that are not negative
    /// and totals equal to the sums of the entries (so a manifest cannot claim more tokens than
    /// its shards hold).
    ///
    /// - Throws: ``FactoryError/config(file:keyPath:line:message:)`` naming `path` and the key.
    public func validate(path: String) throws {
        func fail(_ keyPath: String, _ message: String) -> FactoryError {
            .config(file: path, keyPath: keyPath, line: nil, message: message)
        }
        guard formatVersion == 1 else { throw fail("format_version", "version \(formatVersion) is not supported (this build reads 1)") }
        guard Self.isFileName(domain) else {
            throw fail("domain", "'\(domain)' must be letters, digits, '-', '_' or '.' (it names files)")
        }
        guard vocabularySize > 0, vocabularySize <= Int(UInt32.max) else {
            throw fail("vocab_size", "must be between 1 and \(UInt32.max), found \(vocabularySize)")
        }
        guard Int(endOfTextId) < vocabularySize else {
            throw fail("end_of_text_id", "\(endOfTextId) is outside the vocabulary (vocab_size \(vocabularySize))")
        }
        guard !shards.isEmpty else {
            throw fail("shards", "the list is empty: the domain '\(domain)' would have no tokens (rebuild it with `factory shards build`)")
        }
        var seen = [String: Int]()
        var documentSum = 0
        var tokenSum = 0
        for (index, shard) in shards.enumerated() {
            let key = "shards[\(index)]"
            guard Self.isFileName(shard.file), shard.file != ".", shard.file != ".." else {
                throw fail("\(key).file", "'\(shard.file)' must be a file name in the manifest's folder (no '/', not '..')")
            }
            if let first = seen[shard.file] {
                throw fail("\(key).file", "'\(shard.file)' is listed twice (also shards[\(first)]); its documents would be read twice")
            }
            seen[shard.file] = index
            guard shard.documents >= 1 else { throw fail("\(key).documents", "must be at least 1, found \(shard.documents)") }
            guard shard.tokens >= shard.documents else {
                throw fail("\(key).tokens", "must be at least the shard's \(shard.documents) documents (one separator each), found \(shard.tokens)")
            }
            let (nextDocuments, documentsOverflow) = documentSum.addingReportingOverflow(shard.documents)
            let (nextTokens, tokensOverflow) = tokenSum.addingReportingOverflow(shard.tokens)
            guard !documentsOverflow, !tokensOverflow else { throw fail("\(key).tokens", "the counts overflow") }
            documentSum = nextDocuments
            tokenSum = nextTokens
        }
        guard documents == documentSum else {
            throw fail("documents", "\(documents) is not the sum of the shards' documents (\(documentSum))")
        }
        guard tokens == tokenSum else { throw fail("tokens", "\(tokens) is not the sum of the shards' tokens (\(tokenSum))") }
    }

    /// Whether `name` is a plain file name of letters, digits, `-`, `_` and `.` (what domains and
    /// shard files are named with).
    static func isFileName(_ name: String) -> Bool {
        !name.isEmpty
            && name.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                    return true
                default:
                    return false
                }
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
