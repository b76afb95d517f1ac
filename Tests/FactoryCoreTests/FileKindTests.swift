import FactoryCore
import Foundation
import Testing

/// Only regular files and folders are content; devices and FIFOs are refused by name.
@Suite struct FileKindTests {
    @Test func regularFilesAndFoldersAreContent() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("filekind-\(getpid())").path
        try FilePath.createFolder(folder)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try AtomicFile.write(Data("x".utf8), toPath: folder + "/a.txt")
        #expect(try FileKind.of(folder + "/a.txt", name: "--file") == .regularFile)
        #expect(try FileKind.of(folder, name: "--file") == .folder)
        #expect(throws: FactoryError.fileNotFound(path: folder + "/missing")) { try FileKind.of(folder + "/missing", name: "--file") }
        let fifo = folder + "/pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: FactoryError.invalidArgument(name: "--file \(fifo)", message: "is a FIFO, not a regular file or a folder of them")) {
            try FileKind.of(fifo, name: "--file")
        }
        #expect(throws: FactoryError.invalidArgument(name: "--file \(folder)", message: "is a folder, not a regular file")) {
            try FileKind.requireRegularFile(folder, name: "--file")
        }
    }

    @Test func devicesAreRefused() {
        #expect(
            throws: FactoryError.invalidArgument(
                name: "sources[0].path /dev/zero", message: "is a character device, not a regular file or a folder of them")
        ) { try FileKind.of("/dev/zero", name: "sources[0].path") }
    }
}
