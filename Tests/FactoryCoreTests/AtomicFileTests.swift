import Foundation
import Testing

@testable import FactoryCore

@Suite struct AtomicFileTests {
    struct Interrupted: Error {}

    @Test func writesAndReplaces() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/artifact.txt"
        try AtomicFile.write(Data("first".utf8), toPath: path)
        try AtomicFile.write(Data("second".utf8), toPath: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["artifact.txt"])
    }

    @Test func failedWriteKeepsOldFileAndLeavesNoTemporary() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/artifact.txt"
        try AtomicFile.write(Data("old contents".utf8), toPath: path)
        #expect(throws: Interrupted.self) {
            try AtomicFile.write(toPath: path) { sink in
                try sink.write("half of the new")
                throw Interrupted()
            }
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old contents")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["artifact.txt"])
    }

    @Test func failedFirstWriteLeavesNothing() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/new.bin"
        #expect(throws: Interrupted.self) {
            try AtomicFile.write(toPath: path) { _ in throw Interrupted() }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }

    @Test func missingDirectoryIsNamed() {
        #expect(throws: FactoryError.fileNotFound(path: "/nonexistent-dir")) {
            try AtomicFile.write(Data(), toPath: "/nonexistent-dir/file")
        }
    }
}
