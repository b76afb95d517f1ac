import FactoryCore
import Foundation
import Testing

@testable import Lineage

@Suite struct ArtifactStoreTests {
    private func objectFiles(_ store: FactoryStore) throws -> [String] {
        try FileSystem.regularFiles(under: store.objects.root)
    }

    @Test func sameBytesAreStoredOnceAndRecordedOnce() throws {
        let scratch = try ScratchDirectory()
        let store = try FactoryStore.open(root: scratch.path + "/store")
        let first = try scratch.write("hello tokens\n", to: "a.txt")
        let second = try scratch.write("hello tokens\n", to: "copy/b.txt")
        let one = try store.addArtifact(atPath: first, kind: "dataset", createdAt: Date(timeIntervalSince1970: 10))
        let two = try store.addArtifact(atPath: second, kind: "report", name: "other", createdAt: Date(timeIntervalSince1970: 20))
        #expect(one.digest == Digest.of("hello tokens\n"))
        #expect(two == one, "the second add returns the first record unchanged")
        #expect(try objectFiles(store) == ["\(one.digest.hex.prefix(2))/\(one.digest.hex)"])
        #expect(try store.records.artifacts(kind: nil, digestPrefix: "").count == 1)
        #expect(try String(contentsOfFile: store.objects.path(for: one.digest), encoding: .utf8) == "hello tokens\n")
    }

    @Test func directoryDigestIsTheDigestOfTheCanonicalManifest() throws {
        let scratch = try ScratchDirectory()
        let store = try FactoryStore.open(root: scratch.path + "/store")
        try scratch.write("B", to: "ckpt/model.safetensors")
        try scratch.write("{}", to: "ckpt/config.json")
        try scratch.write("t", to: "ckpt/tok/tokenizer.json")
        let record = try store.addArtifact(atPath: scratch.path + "/ckpt", kind: "checkpoint")
        let expectedText =
            #"{"entries":["#
            + #"{"digest":"\#(Digest.of("{}").hex)","path":"config.json","size":2},"#
            + #"{"digest":"\#(Digest.of("B").hex)","path":"model.safetensors","size":1},"#
            + #"{"digest":"\#(Digest.of("t").hex)","path":"tok/tokenizer.json","size":1}"#
            + #"],"format":"factory-manifest/1"}"#
        #expect(record.digest == Digest.of(expectedText))
        #expect(record.layout == .directory && record.size == 4 && record.name == "ckpt")
        #expect(try store.objects.manifest(record.digest).entries.map(\.path) == ["config.json", "model.safetensors", "tok/tokenizer.json"])
        // The same files elsewhere are the same artifact; one changed byte is another.
        try scratch.write("B", to: "again/model.safetensors")
        try scratch.write("{}", to: "again/config.json")
        try scratch.write("t", to: "again/tok/tokenizer.json")
        #expect(try store.addArtifact(atPath: scratch.path + "/again", kind: "checkpoint").digest == record.digest)
        try scratch.write("u", to: "again/tok/tokenizer.json")
        #expect(try store.addArtifact(atPath: scratch.path + "/again", kind: "checkpoint").digest != record.digest)
    }

    @Test func verifyReportsACorruptedObject() throws {
        let scratch = try ScratchDirectory()
        let store = try FactoryStore.open(root: scratch.path + "/store")
        let file = try store.addArtifact(bytes: Array("shard bytes".utf8), kind: "shard-set", name: "shard")
        let intact = try store.addArtifact(bytes: Array("other".utf8), kind: "report", name: "r")
        #expect(store.verify(file).isEmpty)
        let objectPath = store.objects.path(for: file.digest)
        try Data("shard bytez".utf8).write(to: URL(fileURLWithPath: objectPath))
        let problems = store.verify(file)
        #expect(problems == [.corrupt(path: objectPath, reason: "its bytes hash to \(Digest.of("shard bytez").hex), expected \(file.digest.hex)")])
        #expect(store.verify(intact).isEmpty)
        try FileManager.default.removeItem(atPath: objectPath)
        #expect(store.verify(file) == [.fileNotFound(path: objectPath)])
    }

    @Test func verifyNamesTheCorruptMemberOfADirectory() throws {
        let scratch = try ScratchDirectory()
        let store = try FactoryStore.open(root: scratch.path + "/store")
        try scratch.write("aaa", to: "set/a.bin")
        try scratch.write("bbb", to: "set/b.bin")
        let record = try store.addArtifact(atPath: scratch.path + "/set", kind: "shard-set")
        #expect(store.verify(record).isEmpty)
        try Data("bbc".utf8).write(to: URL(fileURLWithPath: store.objects.path(for: Digest.of("bbb"))))
        let problems = store.verify(record)
        #expect(problems.count == 1)
        #expect(problems.first?.description.contains("member 'b.bin'") == true)
    }

    @Test func symbolicLinksAreRefusedByName() throws {
        let scratch = try ScratchDirectory()
        let store = try FactoryStore.open(root: scratch.path + "/store")
        try scratch.write("x", to: "d/x")
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/d/link", withDestinationPath: scratch.path + "/d/x")
        #expect(
            throws: FactoryError.invalidArgument(
                name: scratch.path + "/d/link", message: "only regular files and directories can be stored (symbolic link or special file)")
        ) {
            try store.addArtifact(atPath: scratch.path + "/d", kind: "dataset")
        }
    }

    @Test func artifactPrefixesResolveUniquely() throws {
        let scratch = try ScratchDirectory()
        let store = try FactoryStore.open(root: scratch.path + "/store")
        let record = try store.addArtifact(bytes: Array("x".utf8), kind: "report", name: "x")
        #expect(try store.records.resolveArtifact(String(record.digest.hex.prefix(8)).uppercased()) == record)
        #expect { try store.records.resolveArtifact("zz") } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "artifact" && message.contains("'zz' is not a digest or a hex prefix")
        }
        #expect { try store.records.resolveArtifact("0000000") } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "artifact" && message.contains("no artifact has a digest starting with '0000000'")
        }
    }
}
