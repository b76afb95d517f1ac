import FactoryCore
import Foundation
import Testing

@testable import Lineage

/// The data stages through the real `factory` executable: a corpus from the Corpus fixtures, a
/// tokenizer and shards, each recorded as a run, so the shards' upstream reaches the sources.
@Suite struct DataStagesEndToEndTests {
    /// The corpus fixtures of the Corpus tests.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CorpusTests/Fixtures/corpus").path

    @Test func shardsWalkBackToTheCorpusBuildAndItsSources() throws {
        let scratch = try ScratchDirectory()
        let root = scratch.path + "/store"
        func factory(_ arguments: [String]) throws -> String {
            let result = try runFactory(arguments + ["--store", root])
            #expect(result.status == 0, "factory \(arguments.joined(separator: " ")): \(result.output)")
            return result.output
        }
        /// The digest printed for the output named `name`.
        func produced(_ output: String, _ name: String) throws -> Digest {
            let line = try #require(output.split(separator: "\n").first { $0.hasPrefix("lineage: produced ") && $0.hasSuffix(" \(name)") })
            return try Digest(hex: String(line.split(separator: " ")[3]))
        }
        let config = try scratch.write(
            """
            [split]
            validation_fraction = 0.2

            [[sources]]
            name = "notes"
            domain = "prose"
            kind = "files"
            path = "\(Self.fixtures)/notes"
            include = ["*.txt", "*.md"]
            license = "CC-BY-4.0"

            [[sources]]
            name = "man"
            domain = "stem"
            kind = "files"
            path = "\(Self.fixtures)/gzip"
            include = ["sample.7.gz"]
            format = "roff"
            license = "GPL-2+"

            [[sources]]
            name = "math"
            domain = "math"
            kind = "synthetic-math"
            count = 40
            seed = 5
            """, to: "corpus.toml")
        let corpus = scratch.path + "/corpus"
        let built = try factory(["corpus", "build", "--config", config, "--out", corpus])
        let corpusDigest = try produced(built, "corpus")
        let documents = ["prose/train.jsonl", "stem/train.jsonl", "math/train.jsonl"].map { "\(corpus)/\($0)" }
        let tokenizer = scratch.path + "/tokenizer.json"
        let trained = try factory(["tokenizer", "train"] + documents + ["--vocab-size", "300", "--output", tokenizer])
        let tokenizerDigest = try produced(trained, "tokenizer.json")
        let sharded = try factory(["shards", "build"] + documents + ["--tokenizer", tokenizer, "--output", scratch.path + "/shards"])
        let shardsDigest = try produced(sharded, "shards")

        let store = try FactoryStore.open(root: root)
        let graph = try store.records.graph(from: .artifact(shardsDigest), direction: .upstream)
        #expect(Set(graph.runs.map(\.kind)) == Set(["shard-build", "tokenizer-train", "corpus-build"]))
        #expect(graph.runs.allSatisfy { $0.status == .finished })
        let corpusRun = try #require(graph.runs.first { $0.kind == "corpus-build" })
        #expect(try corpusRun.config.leaf(named: "corpus.sources[2].seed")?.value == .integer(5))
        let shardRun = try #require(graph.runs.first { $0.kind == "shard-build" })
        #expect(try corpusRun.config.leaf(named: "corpus.sources[0].name")?.value == .string("notes"))
        let artifacts = Dictionary(graph.artifacts.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(artifacts["notes"]?.kind == "source" && artifacts["man"]?.kind == "source")
        #expect(
            artifacts["man"]?.metadata
                == .table([
                    "source_kind": .string("files"), "license": .string("GPL-2+"), "root": .string("\(Self.fixtures)/gzip"),
                    "files": .integer(1), "bytes": .integer(Int(try FileSystem.size(ofFile: "\(Self.fixtures)/gzip/sample.7.gz"))),
                ]))
        #expect(artifacts["corpus.toml"]?.kind == "config")
        let edges = Set(graph.edges.map { "\($0.runID) \($0.direction.rawValue) \($0.role) \($0.artifact.hex)" })
        let prose = try Digest.ofFile(atPath: documents[0])
        for expected in [
            "\(shardRun.id) input documents \(prose.hex)",
            "\(shardRun.id) input tokenizer \(tokenizerDigest.hex)",
            "\(corpusRun.id) output documents \(prose.hex)",
            "\(corpusRun.id) input source \(artifacts["notes"]!.digest.hex)",
        ] {
            #expect(edges.contains(expected), "missing edge \(expected)")
        }
        let corpusArtifact = try #require(try store.records.artifact(corpusDigest))
        #expect(corpusArtifact.kind == "corpus" && corpusArtifact.layout == .directory)

        let text = try factory(["lineage", String(shardsDigest.hex.prefix(16)), "--upstream"])
        #expect(text.contains("<- (shards) run \(shardRun.id) shard-build"))
        #expect(text.contains("corpus-build \"corpus.toml\" [finished]"))
        #expect(text.contains("<- (source) artifact \(artifacts["notes"]!.digest.hex.prefix(12)) source \"notes\""))
    }

    @Test func failedStageIsRecordedAsFailed() throws {
        let scratch = try ScratchDirectory()
        let root = scratch.path + "/store"
        let bad = try scratch.write("{\"text\": \"ok\"}\n{broken\n", to: "bad.jsonl")
        let result = try runFactory(["tokenizer", "train", bad, "--vocab-size", "300", "--output", scratch.path + "/t.json", "--store", root])
        #expect(result.status != 0 && result.output.contains("\(bad) is corrupt: line 2: not valid JSON"))
        let runs = try FactoryStore.open(root: root).records.runs(RunQuery(kind: "tokenizer-train"))
        #expect(runs.map(\.status) == [.failed])
    }
}
