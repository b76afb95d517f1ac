import FactoryCore
import Foundation
import Testing

@testable import Evaluation

@Suite struct SandboxLimitsTests {
    private func load(_ toml: String) throws -> SandboxLimits {
        let limits = try ConfigLoader.decode(SandboxLimits.self, toml: toml, source: "eval.toml")
        try limits.validate { key, message in .config(file: "eval.toml", keyPath: "sandbox.\(key)", line: nil, message: message) }
        return limits
    }

    @Test func missingKeysTakeTheDefaultsAndGivenOnesAreRead() throws {
        #expect(try load("") == SandboxLimits())
        let limits = try load("cpu_seconds = 2\nwall_seconds = 2.5\nprocesses = 8\noutput_bytes = 4096")
        #expect(limits == SandboxLimits(cpuSeconds: 2, wallSeconds: 2.5, processes: 8, outputBytes: 4_096))
        #expect(SandboxLimits().cpuSeconds == 5 && SandboxLimits().wallSeconds == 10 && SandboxLimits().memoryBytes == 1 << 30)
    }

    @Test func valuesOutOfRangeAreRefusedNamingTheKey() {
        #expect(
            throws: FactoryError.config(
                file: "eval.toml", keyPath: "sandbox.cpu_seconds", line: nil, message: "must be between 1 and 3600, got 0")
        ) { try load("cpu_seconds = 0") }
        #expect(
            throws: FactoryError.config(
                file: "eval.toml", keyPath: "sandbox.memory_bytes", line: nil, message: "must be between 33554432 and 1099511627776, got 1024")
        ) { try load("memory_bytes = 1024") }
        #expect(
            throws: FactoryError.config(
                file: "eval.toml", keyPath: "sandbox.wall_seconds", line: nil, message: "must be positive and at most 86400.0, got -1.0")
        ) { try load("wall_seconds = -1.0") }
        #expect(throws: FactoryError.self) { try load("wall_clock = 3") }
    }

    @Test func filesAreCutIntoPiecesAtCharacterBoundariesThatJoinBackWhole() {
        let contents = String(repeating: "a✓é🙂", count: 30_000)
        let pieces = SandboxFile(name: "x", contents: contents).pieces
        #expect(pieces.count == (contents.utf8.count + SandboxFile.pieceBytes - 1) / SandboxFile.pieceBytes)
        #expect(pieces.allSatisfy { $0.utf8.count <= SandboxFile.pieceBytes })
        #expect(pieces.joined() == contents)
        #expect(SandboxFile(name: "x", contents: "").pieces == [""])
    }
}
