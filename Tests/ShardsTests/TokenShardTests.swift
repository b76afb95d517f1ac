import FactoryCore
import Foundation
import Testing
import Tokenization

@testable import Shards

@Suite struct TokenShardTests {
    static let tokenizer = Result { try TokenizerTestSupport.trainedTokenizer() }

    private func build(
        _ texts: [String], in directory: String, threads: Int, maxTokens: Int = 1 << 20, batchSize: Int = 7
    ) throws -> TokenShardManifest {
        let builder = try TokenShardBuilder(
            tokenizer: try Self.tokenizer.get(), domain: "prose", directory: directory,
            options: TokenShardBuilder.Options(threads: threads, maxTokensPerShard: maxTokens, batchSize: batchSize))
        for text in texts { try builder.append(text) }
        return try builder.finish()
    }

    @Test func documentsComeBackFromTheShards() throws {
        let tokenizer = try Self.tokenizer.get()
        let texts = try TokenizerTestSupport.goldenTexts()
        let directory = try TokenizerTestDirectory()
        let manifest = try build(texts, in: directory.path, threads: 2, maxTokens: 2000)
        #expect(manifest.shards.count > 2)
        #expect(manifest.documents == texts.count)
        let endOfText = try #require(tokenizer.addedTokenId("<|endoftext|>"))
        var documents = [String]()
        for entry in manifest.shards {
            let shard = try TokenShard.read(path: directory.path + "/" + entry.file)
            #expect(shard.header.digest == entry.digest)
            #expect(Int(shard.header.vocabularySize) == tokenizer.vocabularySize)
            #expect(shard.tokens.count <= 2000 || shard.documentCount == 1)
            for index in 0..<shard.documentCount {
                let tokens = shard.document(index)
                #expect(tokens.last == endOfText)
                // Added-token text inside a document is ordinary text: only the separator is special.
                #expect(tokens.dropLast().allSatisfy { $0 != endOfText })
                documents.append(String(decoding: try tokenizer.decode(tokens.dropLast()), as: UTF8.self))
            }
        }
        #expect(documents == texts)
        #expect(try TokenShardManifest.load(path: directory.path + "/prose.manifest.json") == manifest)
    }

    @Test func outputDoesNotDependOnThreadsOrBatches() throws {
        let texts = try TokenizerTestSupport.goldenTexts()
        var contents = [[Data]]()
        for (threads, batchSize) in [(1, 1), (2, 7), (4, 1000)] {
            let directory = try TokenizerTestDirectory()
            let manifest = try build(texts, in: directory.path, threads: threads, maxTokens: 3000, batchSize: batchSize)
            contents.append(
                try (manifest.shards.map(\.file) + ["prose.manifest.json"]).map {
                    try Data(contentsOf: URL(fileURLWithPath: directory.path + "/" + $0))
                })
        }
        #expect(contents[0] == contents[1])
        #expect(contents[0] == contents[2])
    }

    /// Writes a valid shard and returns its path and bytes.
    private func validShard(in directory: TokenizerTestDirectory) throws -> (String, [UInt8]) {
        let path = directory.path + "/shard.tokens"
        try TokenShardWriter.write(tokens: [5, 6, 7, 1, 8, 1], documentOffsets: [0, 4, 6], vocabularySize: 10, toPath: path)
        return (path, Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    private func expectCorrupt(_ bytes: [UInt8], at path: String, containing text: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        do {
            _ = try TokenShard.read(path: path)
            Issue.record("expected \(text)")
        } catch let FactoryError.corrupt(actualPath, reason) {
            #expect(actualPath == path)
            #expect(reason.contains(text), "reason: \(reason)")
        }
    }

    @Test func validShardReadsBack() throws {
        let directory = try TokenizerTestDirectory()
        let (path, bytes) = try validShard(in: directory)
        #expect(bytes.count == 64 + 6 * 4 + 3 * 8)
        let shard = try TokenShard.read(path: path)
        #expect(Array(shard.document(0)) == [5, 6, 7, 1] && Array(shard.document(1)) == [8, 1])
        #expect(try TokenShard.readHeader(path: path) == shard.header)
    }

    @Test func corruptHeadersAreNamed() throws {
        let directory = try TokenizerTestDirectory()
        let (path, bytes) = try validShard(in: directory)
        try expectCorrupt(Array(bytes.prefix(40)), at: path, containing: "header is truncated")
        var badMagic = bytes
        badMagic[0] = UInt8(ascii: "X")
        try expectCorrupt(badMagic, at: path, containing: "not a token shard")
        var badVersion = bytes
        badVersion[8] = 9
        try expectCorrupt(badVersion, at: path, containing: "format version 9 is not supported")
        var badCount = bytes
        badCount[16] = 7
        try expectCorrupt(badCount, at: path, containing: "need")
        try expectCorrupt(Array(bytes.dropLast(8)), at: path, containing: "need")
        var flipped = bytes
        flipped[64] ^= 1
        try expectCorrupt(flipped, at: path, containing: "digest mismatch")
    }

    @Test func writerRejectsBadIndexAndTokens() throws {
        let directory = try TokenizerTestDirectory()
        let path = directory.path + "/bad.tokens"
        #expect {
            try TokenShardWriter.write(tokens: [1, 2], documentOffsets: [0, 1], vocabularySize: 10, toPath: path)
        } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "document offsets" && message.contains("must rise from 0 to the token count 2")
        }
        #expect {
            try TokenShardWriter.write(tokens: [1, 12], documentOffsets: [0, 2], vocabularySize: 10, toPath: path)
        } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "tokens" && message.contains("token 12 is outside the vocabulary (size 10)")
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func builderNeedsAnEndOfTextToken() throws {
        let bare = try Tokenizer(json: Data(Self.withoutAddedTokens().utf8), source: "bare.json")
        let directory = try TokenizerTestDirectory()
        #expect {
            _ = try TokenShardBuilder(tokenizer: bare, domain: "code", directory: directory.path)
        } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "tokenizer" && message.contains("no <|endoftext|> token")
        }
        #expect {
            _ = try TokenShardBuilder(tokenizer: try Self.tokenizer.get(), domain: "../x", directory: directory.path)
        } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "domain" && message.contains("'../x' must be letters, digits")
        }
    }

    /// The committed factory tokenizer with its added tokens removed.
    private static func withoutAddedTokens() throws -> String {
        var object = try TokenizerTestSupport.json("factory.tokenizer.json") as! [String: Any]
        object["added_tokens"] = []
        var model = object["model"] as! [String: Any]
        var vocab = model["vocab"] as! [String: Any]
        vocab["<|endoftext|>"] = nil
        vocab["<|pad|>"] = nil
        model["vocab"] = vocab
        object["model"] = model
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    @Test func manifestErrorsNameTheField() throws {
        let directory = try TokenizerTestDirectory()
        let path = directory.path + "/x.manifest.json"
        try Data("{\"format_version\": 1, \"domain\": \"x\"}".utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try TokenShardManifest.load(path: path)
            Issue.record("expected an error")
        } catch let FactoryError.config(file, keyPath, _, message) {
            #expect(file == path && keyPath == "tokenizer_digest" && message == "missing")
        }
    }
}
