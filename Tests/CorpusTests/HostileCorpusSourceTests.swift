import Documents
import FactoryCore
import Foundation
import Synchronization
import Testing

@testable import Corpus

/// Sources a hostile configuration points at: special files, pseudo file systems, programs that
/// never stop, and sizes nothing could hold.
@Suite struct HostileCorpusSourceTests {
    private func write(_ toml: String) throws -> String {
        let path = try CorpusFixtures.temporaryDirectory() + "/corpus.toml"
        try AtomicFile.write(Data(toml.utf8), toPath: path)
        return path
    }

    /// The error building `toml` throws, and what the build reported.
    private func build(_ toml: String) throws -> (error: FactoryError?, file: String, output: String, notices: [String]) {
        let file = try write(toml)
        let output = try CorpusFixtures.temporaryDirectory()
        let notices = Mutex([String]())
        do {
            let config = try CorpusConfig.load(path: file)
            try CorpusBuilder(config: config, configFile: file, progressOutput: { line in notices.withLock { $0.append(line) } })
                .build(outputDirectory: output)
            return (nil, file, output, notices.withLock { $0 })
        } catch let error as FactoryError {
            return (error, file, output, notices.withLock { $0 })
        }
    }

    private func filesSource(_ path: String) -> String {
        """
        [[sources]]
        name = "hostile"
        domain = "prose"
        kind = "files"
        path = "\(path)"
        """
    }

    @Test func aDeviceIsRefusedByKey() throws {
        let result = try build(filesSource("/dev/zero"))
        #expect(
            result.error
                == .config(
                    file: result.file, keyPath: "sources[0].path", line: nil,
                    message: "/dev/zero is a character device, not a regular file or a folder of them"))
    }

    @Test func aFIFOIsRefusedByKey() throws {
        let fifo = try CorpusFixtures.temporaryDirectory() + "/pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        let result = try build(filesSource(fifo))
        #expect(
            result.error
                == .config(
                    file: result.file, keyPath: "sources[0].path", line: nil,
                    message: "\(fifo) is a FIFO, not a regular file or a folder of them"))
    }

    @Test func procAndSysAreRefusedByKey() throws {
        for path in ["/proc/self", "/proc/self/status", "/proc/cpuinfo", "/proc/self/*"] {
            let result = try build(filesSource(path))
            guard case .config(let file, let keyPath, _, let message)? = result.error else {
                Issue.record("\(path): expected a refusal")
                continue
            }
            #expect(file == result.file && keyPath == "sources[0].path", "\(path)")
            #expect(message.hasPrefix(path + " is in /"), "\(path)")
            #expect(message.hasSuffix(", whose files are not content (their sizes are not their lengths)"), "\(path)")
        }
    }

    @Test func aProgramThatNeverStopsIsCutAtItsOutputLimit() throws {
        let result = try build(
            """
            [[sources]]
            name = "forever"
            domain = "prose"
            kind = "command"
            command = ["yes", "a line of text"]
            split = "paragraphs"
            max_output_bytes = 100000
            """)
        #expect(result.error == nil)
        let documents =
            try JSONLinesReader.readDocuments(path: result.output + "/prose/train.jsonl")
            + JSONLinesReader.readDocuments(path: result.output + "/prose/validation.jsonl")
        #expect(documents.count == 1)
        // 100000 bytes cut at the last line end: whole lines of 15 bytes, the final newline trimmed by the splitter.
        let lines = 100_000 / 15
        #expect(documents.first?.text == Array(repeating: "a line of text", count: lines).joined(separator: "\n"))
        let manifest = try JSONDecoder().decode(CorpusManifest.self, from: Data(contentsOf: URL(fileURLWithPath: result.output + "/manifest.json")))
        #expect(manifest.sources[0].capped)
        #expect(
            result.notices.contains(
                "corpus forever: the program's output reached max_output_bytes (100000 bytes); it was stopped and its output cut at the last line end\n"
            ))
    }

    @Test func aCutNeverSplitsACharacter() {
        #expect(CommandRunner.cutAtLineEnd(Array("ab\ncd".utf8)) == Array("ab\n".utf8))
        #expect(CommandRunner.cutAtLineEnd(Array("abé".utf8).dropLast()) == Array("ab".utf8))
        #expect(CommandRunner.cutAtLineEnd(Array("ab€".utf8).dropLast()) == Array("ab".utf8))
        #expect(CommandRunner.cutAtLineEnd([]) == [])
    }

    @Test func sizeSettingsAreRangeChecked() throws {
        let cases: [(String, String, String)] = [
            (
                "kind = \"command\"\ncommand = [\"yes\"]\nmax_output_bytes = 0", "sources[0].max_output_bytes",
                "must be positive, found 0"
            ),
            ("kind = \"synthetic-math\"\ncount = 1_000_000_000_000", "sources[0].count", "must be at most 100000000, found 1000000000000"),
            (
                "kind = \"synthetic-math\"\ncount = 5\nmax_output_bytes = 10", "sources[0].max_output_bytes",
                "is not used by sources of kind 'synthetic-math'"
            ),
        ]
        for (body, keyPath, message) in cases {
            let file = try write("[[sources]]\nname = \"s\"\ndomain = \"d\"\n" + body)
            #expect(throws: FactoryError.config(file: file, keyPath: keyPath, line: nil, message: message), "\(body)") {
                try CorpusConfig.load(path: file)
            }
        }
        let file = try write(
            "[[sources]]\nname = \"s\"\ndomain = \"d\"\nkind = \"command\"\ncommand = [\"yes\"]\nmax_output_bytes = 5_000_000_000_000_000_000")
        do {
            _ = try CorpusConfig.load(path: file)
            Issue.record("expected a memory refusal")
        } catch let FactoryError.config(errorFile, keyPath, _, message) {
            #expect(errorFile == file && keyPath == "sources[0].max_output_bytes")
            #expect(message.hasPrefix("the command's output needs more than 8 EiB of memory; this machine has "))
        }
    }

    @Test func aLargeSyntheticCountIsGeneratedLazily() throws {
        let result = try build(
            """
            [[sources]]
            name = "math"
            domain = "math"
            kind = "synthetic-math"
            count = 100_000_000
            max_docs = 3
            """)
        #expect(result.error == nil)
        let manifest = try JSONDecoder().decode(CorpusManifest.self, from: Data(contentsOf: URL(fileURLWithPath: result.output + "/manifest.json")))
        #expect(manifest.sources[0].documents == 3)
        #expect(
            SyntheticMath.document(index: 7, seed: 1, sourceName: "m", domain: "math")
                == SyntheticMath.documents(count: 8, seed: 1, sourceName: "m", domain: "math")[7])
    }
}
