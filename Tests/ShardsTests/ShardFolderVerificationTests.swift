import Documents
import FactoryCore
import Foundation
import Testing
import Tokenization

@testable import Shards

/// Shard folders are verified at load (``DomainTokens``), built by swapping in a complete folder
/// (``TokenShardSetWriter``), and checked against the tokenizer that reads them.
@Suite struct ShardFolderVerificationTests {
    static let tokenizer = Result { try TokenizerTestSupport.trainedTokenizer() }

    /// A shard folder with the domains `prose` (three shards) and `code` (one).
    private func folder() throws -> TokenizerTestDirectory {
        let directory = try TokenizerTestDirectory()
        let texts = try TokenizerTestSupport.goldenTexts()
        for (domain, maxTokens) in [("prose", 2000), ("code", 1 << 20)] {
            let builder = try TokenShardBuilder(
                tokenizer: try Self.tokenizer.get(), domain: domain, directory: directory.path,
                options: TokenShardBuilder.Options(threads: 1, maxTokensPerShard: maxTokens))
            for text in texts { try builder.append(text) }
            _ = try builder.finish()
        }
        return directory
    }

    /// Rewrites the JSON object of `file` in `directory` through `change`.
    private func edit(_ directory: TokenizerTestDirectory, _ file: String, _ change: (inout [String: Any]) -> Void) throws {
        let url = URL(fileURLWithPath: directory.path + "/" + file)
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        change(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: url)
    }

    private func shards(_ object: [String: Any]) -> [[String: Any]] { object["shards"] as! [[String: Any]] }

    /// The error loading `directory` throws.
    private func loadError(_ directory: TokenizerTestDirectory) -> FactoryError? {
        do {
            _ = try DomainTokens(directory: directory.path)
            return nil
        } catch {
            return error as? FactoryError
        }
    }

    @Test func aBuiltFolderLoadsWithEveryDocument() throws {
        let directory = try folder()
        let tokens = try DomainTokens(directory: directory.path)
        #expect(tokens.domains == ["code", "prose"])
        let manifest = try TokenShardManifest.load(path: directory.path + "/prose.manifest.json")
        #expect(manifest.shards.count > 1)
        #expect(tokens.streams["prose"]?.count == manifest.tokens)
        #expect(tokens.streams["prose"] == tokens.streams["code"])
    }

    @Test func aShardListedTwiceIsRefused() throws {
        let directory = try folder()
        try edit(directory, "prose.manifest.json") { object in
            var list = shards(object)
            list[1] = list[0]
            object["shards"] = list
            object["tokens"] = list.reduce(0) { $0 + ($1["tokens"] as! Int) }
            object["documents"] = list.reduce(0) { $0 + ($1["documents"] as! Int) }
        }
        #expect(
            loadError(directory)
                == .config(
                    file: directory.path + "/prose.manifest.json", keyPath: "shards[1].file", line: nil,
                    message: "'prose-00000.tokens' is listed twice (also shards[0]); its documents would be read twice"))
    }

    @Test func aShardListedByTwoManifestsIsRefused() throws {
        let directory = try folder()
        try edit(directory, "prose.manifest.json") { object in
            var list = shards(object)
            list[0]["file"] = "code-00000.tokens"
            object["shards"] = list
        }
        #expect(
            loadError(directory)
                == .config(
                    file: directory.path + "/prose.manifest.json", keyPath: "shards[0].file", line: nil,
                    message: "'code-00000.tokens' is also listed by \(directory.path)/code.manifest.json; its documents would be read twice"))
    }

    @Test func anEmptyListIsRefused() throws {
        let directory = try folder()
        try edit(directory, "code.manifest.json") { object in
            object["shards"] = [Any]()
            object["tokens"] = 0
            object["documents"] = 0
        }
        #expect(
            loadError(directory)
                == .config(
                    file: directory.path + "/code.manifest.json", keyPath: "shards", line: nil,
                    message: "the list is empty: the domain 'code' would have no tokens (rebuild it with `factory shards build`)"))
    }

    @Test func twoManifestsNamingOneDomainAreRefused() throws {
        let directory = try folder()
        try edit(directory, "code.manifest.json") { $0["domain"] = "prose" }
        #expect(
            loadError(directory)
                == .config(
                    file: directory.path + "/prose.manifest.json", keyPath: "domain", line: nil,
                    message: "'prose' is also the domain of \(directory.path)/code.manifest.json; one of them would be dropped"))
    }

    @Test func aManifestNamedAfterAnotherDomainIsRefused() throws {
        let directory = try folder()
        try FileManager.default.moveItem(atPath: directory.path + "/code.manifest.json", toPath: directory.path + "/text.manifest.json")
        #expect(
            loadError(directory)
                == .config(
                    file: directory.path + "/text.manifest.json", keyPath: "domain", line: nil,
                    message: "'code' does not match the file name (expected code.manifest.json)"))
    }

    @Test func aShardFileOutsideTheFolderIsRefused() throws {
        for file in ["../../etc/passwd", "/etc/passwd", "..", "sub/prose-00000.tokens"] {
            let directory = try folder()
            try edit(directory, "prose.manifest.json") { object in
                var list = shards(object)
                list[0]["file"] = file
                object["shards"] = list
            }
            #expect(
                loadError(directory)
                    == .config(
                        file: directory.path + "/prose.manifest.json", keyPath: "shards[0].file", line: nil,
                        message: "'\(file)' must be a file name in the manifest's folder (no '/', not '..')"), "\(file)")
        }
    }

    @Test func totalsMustBeTheSumsOfTheEntries() throws {
        let directory = try folder()
        let before = try TokenShardManifest.load(path: directory.path + "/prose.manifest.json")
        try edit(directory, "prose.manifest.json") { $0["tokens"] = 1_000_000_000_000_000 }
        #expect(
            loadError(directory)
                == .config(
                    file: directory.path + "/prose.manifest.json", keyPath: "tokens", line: nil,
                    message: "1000000000000000 is not the sum of the shards' tokens (\(before.tokens))"))
    }

    @Test func aClaimOfMoreTokensThanMemoryIsRefusedBeforeReading() throws {
        let directory = try folder()
        try edit(directory, "prose.manifest.json") { object in
            var list = shards(object)
            list = [list[0]]
            list[0]["tokens"] = 1_000_000_000_000_000
            object["shards"] = list
            object["tokens"] = 1_000_000_000_000_000
            object["documents"] = list[0]["documents"]
        }
        guard case .invalidArgument(let name, let message)? = loadError(directory) else {
            Issue.record("expected a memory refusal")
            return
        }
        #expect(name == directory.path + "/prose.manifest.json: key 'tokens'")
        #expect(message.hasPrefix("the domain 'prose' (1000000000000000 tokens) needs about 3.6 PiB of memory; this machine has "))
    }

    @Test func aShardThatDisagreesWithItsEntryIsRefused() throws {
        let directory = try folder()
        var tokens = 0
        try edit(directory, "code.manifest.json") { object in
            var list = shards(object)
            tokens = (list[0]["tokens"] as! Int) + 1
            list[0]["tokens"] = tokens
            object["shards"] = list
            object["tokens"] = tokens
        }
        #expect(
            loadError(directory)
                == .corrupt(
                    path: directory.path + "/code-00000.tokens",
                    reason:
                        "does not match shards[0] of \(directory.path)/code.manifest.json: \(tokens - 1) tokens, the manifest says \(tokens)"))
    }

    @Test func aShardWhoseContentsChangedIsRefused() throws {
        let directory = try folder()
        let path = directory.path + "/code-00000.tokens"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[TokenShard.headerSize] ^= 1
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        guard case .corrupt(let file, let reason)? = loadError(directory) else {
            Issue.record("expected a digest mismatch")
            return
        }
        #expect(file == path)
        #expect(reason.hasPrefix("digest mismatch: the header records "))
    }

    @Test func aShardThatIsAFIFOIsRefusedWithoutOpeningIt() throws {
        let directory = try folder()
        let path = directory.path + "/code-00000.tokens"
        try FileManager.default.removeItem(atPath: path)
        #expect(mkfifo(path, 0o600) == 0)
        #expect(
            loadError(directory)
                == .invalidArgument(
                    name: "\(directory.path)/code.manifest.json: key 'shards[0].file' \(path)",
                    message: "is a FIFO, not a regular file or a folder of them"))
    }

    @Test func otherTokenizersAreRefusedByDigest() throws {
        let directory = try folder()
        let tokens = try DomainTokens(directory: directory.path)
        try tokens.requireTokenizer(try Self.tokenizer.get(), path: "tokenizer.json", name: "--tokenizer")
        let other = try TokenizerTestSupport.trainedTokenizer(vocabularySize: 700)
        let otherDigest = Digest.of(other.jsonBytes())
        #expect(
            throws: FactoryError.invalidArgument(
                name: "--tokenizer",
                message:
                    "other.json (digest \(otherDigest)) is not the tokenizer the shards in \(directory.path) were encoded with (tokenizer_digest \(tokens.tokenizerDigest)); use that tokenizer.json or rebuild the shards with this one"
            )
        ) {
            try tokens.requireTokenizer(other, path: "other.json", name: "--tokenizer")
        }
        #expect(throws: FactoryError.self) {
            try DomainTokens.requireConsistent(train: tokens, validation: nil, tokenizer: (tokenizer: other, path: "other.json"), source: "run.toml")
        }
    }

    /// A JSON Lines document file of `domains`, one document per golden text each.
    private func documents(_ domains: [String], in directory: TokenizerTestDirectory) throws -> String {
        let path = directory.path + "/docs-\(domains.joined(separator: "-")).jsonl"
        var documents = [Document]()
        for domain in domains {
            for (index, text) in try TokenizerTestSupport.goldenTexts().prefix(5).enumerated() {
                documents.append(Document(id: "\(domain)/\(index)", text: text, domain: domain, source: "test", license: "CC0-1.0"))
            }
        }
        _ = try JSONLinesWriter.write(documents, toPath: path)
        return path
    }

    @Test func rebuildingLeavesNoStaleDomains() throws {
        let work = try TokenizerTestDirectory()
        let output = work.path + "/shards"
        let options = TokenShardBuilder.Options(threads: 1)
        let tokenizer = try Self.tokenizer.get()
        _ = try TokenShardSetWriter.write(
            documentFiles: [try documents(["code", "prose"], in: work)], tokenizer: tokenizer, to: output, options: options)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: output).sorted() == [
                "code-00000.tokens", "code.manifest.json", "prose-00000.tokens", "prose.manifest.json",
            ])
        _ = try TokenShardSetWriter.write(documentFiles: [try documents(["prose"], in: work)], tokenizer: tokenizer, to: output, options: options)
        #expect(try FileManager.default.contentsOfDirectory(atPath: output).sorted() == ["prose-00000.tokens", "prose.manifest.json"])
        #expect(try DomainTokens(directory: output).domains == ["prose"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: work.path).filter { $0.hasPrefix(".") }.isEmpty)
    }

    @Test func aFailedBuildLeavesTheOldFolder() throws {
        let work = try TokenizerTestDirectory()
        let output = work.path + "/shards"
        let tokenizer = try Self.tokenizer.get()
        _ = try TokenShardSetWriter.write(
            documentFiles: [try documents(["code"], in: work)], tokenizer: tokenizer, to: output, options: .init(threads: 1))
        let broken = work.path + "/broken.jsonl"
        try Data("{\"id\": 1}\n".utf8).write(to: URL(fileURLWithPath: broken))
        #expect(throws: FactoryError.self) {
            try TokenShardSetWriter.write(documentFiles: [broken], tokenizer: tokenizer, to: output, options: .init(threads: 1))
        }
        #expect(try DomainTokens(directory: output).domains == ["code"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: work.path).filter { $0.hasPrefix(".") }.isEmpty)
    }

    @Test func aFolderWithOtherFilesIsNotReplaced() throws {
        let work = try TokenizerTestDirectory()
        let output = work.path + "/mine"
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: output + "/notes.txt"))
        #expect(
            throws: FactoryError.invalidArgument(
                name: "shard folder \(output)",
                message: "holds files that are not token shards (notes.txt); refusing to replace it: choose a new or empty folder")
        ) {
            try TokenShardSetWriter.write(
                documentFiles: [try documents(["code"], in: work)], tokenizer: try Self.tokenizer.get(), to: output, options: .init(threads: 1))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: output) == ["notes.txt"])
    }

    @Test func tokenizerInputsThatAreNotRegularFilesAreRefused() throws {
        let directory = try TokenizerTestDirectory()
        let fifo = directory.path + "/pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        for (path, kind) in [("/dev/zero", "a character device"), (fifo, "a FIFO")] {
            #expect(
                throws: FactoryError.invalidArgument(name: "input file \(path)", message: "is \(kind), not a regular file or a folder of them")
            ) {
                try TokenizerTrainingInput.readText(path)
            }
        }
    }

    @Test func aDocumentFileThatIsADeviceIsRefused() throws {
        #expect(
            throws: FactoryError.invalidArgument(
                name: "input file /dev/zero", message: "is a character device, not a regular file or a folder of them")
        ) {
            try TokenShardSetWriter.write(
                documentFiles: ["/dev/zero"], tokenizer: try Self.tokenizer.get(), to: NSTemporaryDirectory() + "unused-\(UUID())",
                options: .init(threads: 1))
        }
    }
}
