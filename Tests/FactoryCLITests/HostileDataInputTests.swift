import FactoryCore
import Foundation
import Testing

/// Hostile data inputs against the built `factory`: special files as sources and inputs,
/// programs that never stop, sizes nothing could hold, and shard folders that lie. Each ends in a
/// clean refusal naming the file and key (or option), or a bounded, recorded result; never a
/// trap or a hang.
@Suite(.serialized) struct HostileDataInputTests {
    private let work: String

    init() throws {
        work = NSTemporaryDirectory() + "hostile-data-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    }

    private func write(_ name: String, _ text: String) throws -> String {
        let path = work + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Runs `factory` with a store of its own (for the commands that record lineage).
    private func factory(_ arguments: [String], store: Bool = true) throws -> FactoryExecutable.Outcome {
        try FactoryExecutable.run(arguments + (store ? ["--store", work + "/store"] : []), timeout: 120)
    }

    @Test func aCorpusSourceAtADeviceIsRefusedByKey() throws {
        let config = try write("corpus.toml", "[[sources]]\nname = \"zero\"\ndomain = \"prose\"\nkind = \"files\"\npath = \"/dev/zero\"\n")
        let outcome = try factory(["corpus", "build", "--config", config, "--out", work + "/corpus"])
        #expect(outcome.refusedCleanly, "\(outcome.errors)")
        #expect(outcome.errors.contains("\(config): key 'sources[0].path': /dev/zero is a character device"), "\(outcome.errors)")
    }

    @Test func aCommandThatNeverStopsIsCutAtItsLimit() throws {
        let config = try write(
            "corpus.toml",
            "[[sources]]\nname = \"yes\"\ndomain = \"prose\"\nkind = \"command\"\ncommand = [\"yes\"]\nmax_output_bytes = 1_000_000\n")
        let outcome = try factory(["corpus", "build", "--config", config, "--out", work + "/corpus"])
        #expect(outcome.exited && outcome.status == 0 && !outcome.timedOut, "\(outcome.errors)")
        #expect(outcome.errors.contains("corpus yes: the program's output reached max_output_bytes (1000000 bytes)"), "\(outcome.errors)")
    }

    @Test func hugeMinHashSizesAreRefusedByOption() throws {
        let input = try write("docs.jsonl", "")
        let outcome = try factory(["curate", "dedup", "--input", input, "--output", work + "/out.jsonl", "--bands", "1000000000"])
        #expect(outcome.refusedCleanly, "\(outcome.errors)")
        #expect(outcome.errors.contains("invalid --bands: 1000000000 bands × 8 rows is more than 65536 hash functions"), "\(outcome.errors)")
    }

    @Test func shardBuildOptionsAreRangeChecked() throws {
        let input = try write("docs.jsonl", "")
        for (option, value, message) in [
            ("--max-shard-tokens", "0", "--max-shard-tokens must be at least 1, got 0"),
            ("--threads", "0", "--threads must be between 1 and 1024, got 0"),
        ] {
            let outcome = try factory(["shards", "build", input, "--tokenizer", input, "-o", work + "/shards", option, value])
            #expect(outcome.refusedCleanly, "\(outcome.errors)")
            #expect(outcome.errors.contains(message), "\(outcome.errors)")
        }
    }

    /// Trains a tiny tokenizer and builds a shard folder of two domains with it.
    private func shardFolder() throws -> (tokenizer: String, shards: String) {
        let text = try write("text.txt", String(repeating: "the quick brown fox jumps over the lazy dog. ", count: 50))
        let tokenizer = work + "/tokenizer.json"
        let trained = try factory(["tokenizer", "train", text, "-o", tokenizer, "--vocab-size", "300"])
        #expect(trained.exited && trained.status == 0, "\(trained.errors)")
        var lines = [String]()
        for (index, domain) in ["code", "prose", "code", "prose"].enumerated() {
            lines.append(
                "{\"id\": \"\(index)\", \"text\": \"the lazy dog \(index)\", \"domain\": \"\(domain)\", \"source\": \"s\", \"license\": \"CC0-1.0\"}")
        }
        let documents = try write("docs.jsonl", lines.joined(separator: "\n") + "\n")
        let shards = work + "/shards"
        let built = try factory(["shards", "build", documents, "--tokenizer", tokenizer, "-o", shards, "--threads", "1"])
        #expect(built.exited && built.status == 0, "\(built.errors)")
        return (tokenizer, shards)
    }

    @Test func shardBuildRefusesADeviceAndRebuildsWithoutStaleDomains() throws {
        let (tokenizer, shards) = try shardFolder()
        let zero = try factory(["shards", "build", "/dev/zero", "--tokenizer", tokenizer, "-o", work + "/other"])
        #expect(zero.refusedCleanly, "\(zero.errors)")
        #expect(zero.errors.contains("invalid input file /dev/zero: is a character device"), "\(zero.errors)")
        let prose = try write(
            "prose.jsonl", "{\"id\": \"p\", \"text\": \"a dog\", \"domain\": \"prose\", \"source\": \"s\", \"license\": \"CC0-1.0\"}\n")
        let rebuilt = try factory(["shards", "build", prose, "--tokenizer", tokenizer, "-o", shards, "--threads", "1"])
        #expect(rebuilt.exited && rebuilt.status == 0, "\(rebuilt.errors)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: shards).sorted() == ["prose-00000.tokens", "prose.manifest.json"])
    }

    @Test func aManifestThatEscapesItsFolderIsRefusedByKey() throws {
        let (_, shards) = try shardFolder()
        let manifest = shards + "/code.manifest.json"
        let text = try String(contentsOfFile: manifest, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "\"code-00000.tokens\"", with: "\"../../etc/passwd\"").utf8)
            .write(to: URL(fileURLWithPath: manifest))
        let outcome = try factory(["shards", "inspect", manifest], store: false)
        #expect(outcome.refusedCleanly, "\(outcome.errors)")
        #expect(
            outcome.errors.contains("\(manifest): key 'shards[0].file': '../../etc/passwd' must be a file name in the manifest's folder"),
            "\(outcome.errors)")
    }
}
