import FactoryCore
import Foundation

@testable import Lineage

/// A directory under the system temporary folder, removed when the value is released.
final class ScratchDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "lineage-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes a text file (creating folders) and returns its path.
    @discardableResult
    func write(_ text: String, to relative: String) throws -> String {
        let file = "\(path)/\(relative)"
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }
}

/// Fixed provenance, so tests do not depend on the checkout they run in.
let testProvenance = CodeProvenance(
    factoryVersion: "test", gitCommit: nil, gitDiffDigest: nil, executableDigest: nil, host: "test-host")

extension FactoryStore {
    /// A run started at a fixed time with test provenance.
    func testRun(_ id: String, kind: String = "proxy", config: RunConfig = .empty, seed: Int? = nil, tags: [String] = []) throws -> RunRecord {
        try startRun(
            kind: kind, name: id, config: config, seed: seed, tags: tags, id: id, provenance: testProvenance,
            startedAt: Date(timeIntervalSince1970: 1_700_000_000))
    }
}

/// The `factory` executable built next to the test bundle (`FACTORY_BINARY` overrides).
func factoryExecutable() throws -> String {
    if let configured = ProcessInfo.processInfo.environment["FACTORY_BINARY"] { return configured }
    #if os(Linux)
        let testBinary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    #else
        let testBinary = Bundle.main.executablePath ?? CommandLine.arguments[0]
    #endif
    var directory = URL(fileURLWithPath: testBinary).deletingLastPathComponent()
    for _ in 0..<5 {
        let candidate = directory.appendingPathComponent("factory").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        directory.deleteLastPathComponent()
    }
    throw FactoryError.fileNotFound(path: "factory executable near \(testBinary) (build it, or set FACTORY_BINARY)")
}

/// A finished child process's exit status and output.
struct ProcessResult {
    var status: Int32
    var output: String
}

/// Starts `factory` with `arguments`; call `wait()` on the result.
final class FactoryProcess: @unchecked Sendable {
    private let process = Process()
    private let pipe = Pipe()

    init(_ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: try factoryExecutable())
        process.arguments = arguments
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
    }

    func wait() -> ProcessResult {
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}

/// Runs `factory` to completion.
func runFactory(_ arguments: [String]) throws -> ProcessResult {
    try FactoryProcess(arguments).wait()
}
