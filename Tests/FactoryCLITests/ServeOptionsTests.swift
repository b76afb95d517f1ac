import ArgumentParser
import FactoryCore
import Foundation
import Testing

@testable import FactoryCLI

/// `factory serve` and `factory generate` refuse unusable options before loading anything, naming
/// the option.
@Suite struct ServeOptionsTests {
    static func parseError(_ arguments: [String]) -> String? {
        do {
            _ = try Factory.parseAsRoot(arguments)
            return nil
        } catch {
            return Factory.message(for: error)
        }
    }

    @Test func engineAndPortLimitsAreRefusedByName() {
        let cases: [([String], String)] = [
            (["serve", "--model", "m", "--max-batch", "0"], "--max-batch must be at least 1, got 0"),
            (["serve", "--model", "m", "--max-queue=-2"], "--max-queue must be at least 1, got -2"),
            (["serve", "--model", "m", "--max-cache-mib=-1"], "--max-cache-mib must be between 1 and 1073741824, got -1"),
            (["serve", "--model", "m", "--port", "99999"], "--port must be between 0 and 65535, got 99999"),
            (["generate", "--model", "m", "--prompt", "a", "--max-batch", "0"], "--max-batch must be at least 1, got 0"),
            (["bench", "inference", "--model", "m", "--threads", "0"], "--threads must be between 1 and 1024, got 0"),
            (["bench", "kv-cache", "--model", "m", "--shard", "s", "--threads", "5000"], "--threads must be between 1 and 1024, got 5000"),
            (["bench", "kv-cache", "--model", "m", "--shard", "s", "--storage", "fp32"], "--storage must be fp8 or bf16, got fp32"),
        ]
        for (arguments, message) in cases {
            #expect(Self.parseError(arguments) == message, "\(arguments)")
        }
        #expect(Self.parseError(["serve", "--model", "m", "--port", "0"]) == nil)
    }

    @Test func promptFilesMustBeRegularFilesWithPrompts() throws {
        #expect(throws: FactoryError.invalidArgument(name: "--prompts /dev/zero", message: "not a readable regular file")) {
            try GenerateCommand.readPrompts("/dev/zero")
        }
        #expect(throws: FactoryError.fileNotFound(path: "/nonexistent/prompts.jsonl")) {
            try GenerateCommand.readPrompts("/nonexistent/prompts.jsonl")
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("prompts-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("{\"prompt\": \"one\"}\n\n{\"prompt\": \"two\"}\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try GenerateCommand.readPrompts(path) == ["one", "two"])
        try Data("{\"text\": \"one\"}\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: FactoryError.config(file: path, keyPath: "prompt", line: 1, message: "each line needs a non-empty string 'prompt'")) {
            try GenerateCommand.readPrompts(path)
        }
    }
}
