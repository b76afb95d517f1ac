import FactoryCore
import Foundation
import Testing

/// `factory tokenizer` against hostile input, run as a user runs it: malformed UTF-8, long and
/// empty id lists, special files, and broken tokenizer.json files.
@Suite struct HostileTokenizerInputTests {
    /// A folder with a small tokenizer trained by `factory tokenizer train`.
    private final class Workspace {
        let path: String
        var tokenizer: String { path + "/tokenizer.json" }

        init() throws {
            path = NSTemporaryDirectory() + "factory-hostile-tokenizer-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            let text = String(repeating: "the model reads the data; the tokens merge~again. 12345 naïve café\n", count: 40)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path + "/corpus.txt"))
            let outcome = try FactoryExecutable.run([
                "tokenizer", "train", path + "/corpus.txt", "--output", tokenizer, "--vocab-size", "300",
                "--store", path + "/store",
            ])
            #expect(outcome.status == 0, "\(outcome.errors)")
        }

        func write(_ name: String, _ bytes: [UInt8]) throws -> String {
            try Data(bytes).write(to: URL(fileURLWithPath: path + "/" + name))
            return path + "/" + name
        }

        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    /// Runs factory and returns its raw standard output (decode writes bytes, not text).
    private func rawOutput(_ arguments: [String]) throws -> (status: Int32, output: [UInt8], errors: String) {
        let outcome = try ChildProcess.run(FactoryExecutable.path, arguments: arguments)
        return (outcome.status, [UInt8](outcome.output), String(decoding: outcome.errors, as: UTF8.self))
    }

    private static let malformed: [UInt8] = Array("caf".utf8) + [0xE9] + Array(" au lait ".utf8) + [0xFF, 0xFE] + Array(" fin".utf8)

    @Test func malformedUTF8IsReplacedWithACountedWarning() throws {
        let workspace = try Workspace()
        let file = try workspace.write("latin1.txt", Self.malformed)
        let outcome = try FactoryExecutable.run(["tokenizer", "encode", "--tokenizer", workspace.tokenizer, "--file", file])
        #expect(outcome.status == 0)
        #expect(
            outcome.errors
                == "warning: \(file): 3 malformed UTF-8 sequences replaced by U+FFFD (--bytes encodes the bytes exactly)\n")
        let ids = outcome.output.split(whereSeparator: \.isWhitespace).map { String($0) }
        let decoded = try rawOutput(["tokenizer", "decode", "--tokenizer", workspace.tokenizer] + ids)
        #expect(decoded.status == 0)
        #expect(String(decoding: decoded.output, as: UTF8.self) == "caf\u{FFFD} au lait \u{FFFD}\u{FFFD} fin")
    }

    @Test func byteModeRoundTripsMalformedUTF8Exactly() throws {
        let workspace = try Workspace()
        let file = try workspace.write("latin1.txt", Self.malformed)
        let encoded = try FactoryExecutable.run(["tokenizer", "encode", "--tokenizer", workspace.tokenizer, "--file", file, "--bytes"])
        #expect(encoded.status == 0)
        #expect(encoded.errors.isEmpty)
        let idsFile = try workspace.write("ids.txt", Array(encoded.output.utf8))
        let decoded = try rawOutput(["tokenizer", "decode", "--tokenizer", workspace.tokenizer, "--file", idsFile])
        #expect(decoded.status == 0)
        #expect(decoded.output == Self.malformed)
    }

    @Test func decodeWithoutIdsWritesNothing() throws {
        let workspace = try Workspace()
        for arguments in [[], ["--file", "-"], ["--file", try workspace.write("empty.txt", [])]] {
            let outcome = try rawOutput(["tokenizer", "decode", "--tokenizer", workspace.tokenizer] + arguments)
            #expect(outcome.status == 0, "\(arguments): \(outcome.errors)")
            #expect(outcome.output.isEmpty)
        }
    }

    /// 40,000 ids (39 s as arguments before) decode from a file in one linear pass.
    @Test func decodeReadsFortyThousandIdsFromAFile() throws {
        let workspace = try Workspace()
        let text = String(repeating: "the data merge~again 12345 café. ", count: 4000)
        let textFile = try workspace.write("long.txt", Array(text.utf8))
        let encoded = try FactoryExecutable.run(["tokenizer", "encode", "--tokenizer", workspace.tokenizer, "--file", textFile])
        let ids = encoded.output.split(whereSeparator: \.isWhitespace)
        #expect(ids.count >= 40_000)
        let idsFile = try workspace.write("ids.txt", Array(encoded.output.utf8))
        let decoded = try rawOutput(["tokenizer", "decode", "--tokenizer", workspace.tokenizer, "--file", idsFile])
        #expect(decoded.status == 0)
        #expect(decoded.output == Array(text.utf8))
    }

    @Test func badIdListsAndSpecialFilesAreRefusedByName() throws {
        let workspace = try Workspace()
        let bad = try workspace.write("bad-ids.txt", Array("1 2 x".utf8))
        let cases: [([String], String)] = [
            (["decode", "--file", bad], "bad-ids.txt"),
            (["decode", "--file", bad, "1"], "--file"),
            (["decode", "--file", "/dev/zero"], "--file"),
            (["encode", "--file", "/dev/zero"], "--file"),
            (["encode", "--text", "a", "--file", bad], "exactly one of --text and --file"),
            (["encode", "--text", "a", "--bytes", "--no-added-tokens"], "--bytes"),
            (["decode", "999999"], "999999"),
        ]
        for (arguments, named) in cases {
            let outcome = try FactoryExecutable.run(
                ["tokenizer"] + arguments.prefix(1) + ["--tokenizer", workspace.tokenizer] + arguments.dropFirst(), timeout: 60)
            #expect(outcome.refusedCleanly, "\(arguments): \(outcome.errors)")
            #expect(outcome.errors.contains(named), "\(arguments): \(outcome.errors)")
        }
    }

    @Test func trainingSettingsAndSpecialFilesAreRefusedByName() throws {
        let workspace = try Workspace()
        let corpus = workspace.path + "/corpus.txt"
        let cases: [([String], String)] = [
            ([corpus, "--vocab-size=-5"], "--vocab-size: -5 is outside 256 byte tokens + 6 special tokens to 16777216"),
            ([corpus, "--vocab-size", "100"], "--vocab-size: 100 is outside 256 byte tokens + 6 special tokens to 16777216"),
            ([corpus, "--vocab-size", "99999999"], "--vocab-size: 99999999 is outside"),
            ([corpus, "--vocab-size", "300", "--min-pair-count", "0"], "--min-pair-count: 0 is below 1"),
            (["/dev/zero", "--vocab-size", "300"], "training input /dev/zero: is a character device, not a regular file or a folder of them"),
            ([workspace.path, "--vocab-size", "300"], "is a folder, not a regular file"),
        ]
        for (arguments, message) in cases {
            let outcome = try FactoryExecutable.run(
                ["tokenizer", "train"] + arguments + ["--output", workspace.path + "/out.json", "--store", workspace.path + "/store"],
                timeout: 60)
            #expect(outcome.refusedCleanly, "\(arguments): \(outcome.errors)")
            #expect(outcome.errors.contains(message), "\(arguments): \(outcome.errors)")
        }
        #expect(!FileManager.default.fileExists(atPath: workspace.path + "/out.json"))
        let bench = try FactoryExecutable.run(["bench", "tokenizer", "--tokenizer", workspace.tokenizer, "/dev/zero"], timeout: 60)
        #expect(bench.refusedCleanly, "\(bench.errors)")
        #expect(bench.errors.contains("input /dev/zero: is a character device"), "\(bench.errors)")
    }

    @Test func brokenTokenizerFilesAreRefusedByName() throws {
        let workspace = try Workspace()
        let original = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: workspace.tokenizer))) as! [String: Any]
        var withoutTilde = original
        var model = original["model"] as! [String: Any]
        model["vocab"] = (model["vocab"] as! [String: Any]).filter { !$0.key.contains("~") }
        model["merges"] = (model["merges"] as! [[String]]).filter { !$0.contains { $0.contains("~") } }
        withoutTilde["model"] = model
        var hugeId = original
        model = original["model"] as! [String: Any]
        var vocab = model["vocab"] as! [String: Any]
        vocab["zz"] = 2_147_483_647
        model["vocab"] = vocab
        hugeId["model"] = model
        let files: [(String, [UInt8], String)] = [
            ("no-tilde.json", [UInt8](try JSONSerialization.data(withJSONObject: withoutTilde)), "1 missing: '~' (byte 0x7E)"),
            ("huge-id.json", [UInt8](try JSONSerialization.data(withJSONObject: hugeId)), "token id 2147483647 is above the largest id accepted"),
            ("nested.json", Array(String(repeating: "[", count: 100_000).utf8), "not valid JSON"),
            ("truncated.json", Array(#"{"model": {"type": "BPE", "vocab": {"a": 0"#.utf8), "not valid JSON"),
            ("binary.json", [0xFF, 0x00, 0x7B, 0x22], "not valid JSON"),
        ]
        for (name, bytes, message) in files {
            let path = try workspace.write(name, bytes)
            let outcome = try FactoryExecutable.run(["tokenizer", "encode", "--tokenizer", path, "--text", "a~b"], timeout: 60)
            #expect(outcome.refusedCleanly, "\(name): \(outcome.errors)")
            #expect(outcome.errors.contains(path) && outcome.errors.contains(message), "\(name): \(outcome.errors)")
        }
    }
}
