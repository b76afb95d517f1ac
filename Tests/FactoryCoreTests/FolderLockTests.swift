import FactoryCore
import Foundation
import Testing

/// A folder one process writes into is locked: a second writer is refused at once, naming the
/// folder and the holder; a holder killed with SIGKILL leaves the folder free.
@Suite struct FolderLockTests {
    private static func scratch(_ name: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("folderlock-\(name)-\(getpid())").path
        try? FileManager.default.removeItem(atPath: folder)
        try FilePath.createFolder(folder)
        return folder
    }

    @Test func aSecondWriterIsRefusedNamingTheFolderAndTheHolder() throws {
        let parent = try Self.scratch("second")
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let output = parent + "/run"
        let lock = try FolderLock.acquire(output, name: "train.output of run.toml")
        #expect(FileManager.default.fileExists(atPath: output))
        #expect(try FileManager.default.contentsOfDirectory(atPath: output).isEmpty)  // no lock file in the folder
        #if os(Linux)
            let holder = "process \(getpid())"
        #else
            let holder = "another process"
        #endif
        #expect(
            throws: FactoryError.invalidArgument(
                name: "train.output of run.toml \(output)",
                message:
                    "is in use by \(holder), which is writing into it; a second writer would overwrite its files. Wait for it to end, or choose another folder"
            )
        ) { try FolderLock.acquire(output, name: "train.output of run.toml") }
        lock.release()
        lock.release()  // a second release does nothing
        try FolderLock.acquire(output, name: "train.output of run.toml").release()
    }

    #if os(Linux)
        /// `flock(1)` holds the folder as a trainer would; `kill -9` of it frees the folder. (It
        /// closes its lock before starting `cat`, which ends when its input is closed.)
        @Test func aHolderKilledWithSigkillLeavesTheFolderFree() throws {
            let output = try Self.scratch("killed")
            defer { try? FileManager.default.removeItem(atPath: output) }
            let input = Pipe()
            let holder = Process()
            holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
            holder.arguments = ["--exclusive", "--close", output, "cat"]
            holder.standardInput = input
            holder.standardOutput = FileHandle.nullDevice
            try holder.run()
            // Wait until flock(1) holds the lock (it takes it before starting sleep).
            var refusal: FactoryError?
            for _ in 0..<2_000 where refusal == nil {
                do {
                    try FolderLock.acquire(output, name: "train.output").release()
                    Thread.sleep(forTimeInterval: 0.01)
                } catch let error as FactoryError {
                    refusal = error
                }
            }
            let message = refusal.map { "\($0)" } ?? ""
            #expect(message.contains("is in use by process \(holder.processIdentifier)"))
            kill(holder.processIdentifier, SIGKILL)
            try input.fileHandleForWriting.close()  // `cat` ends; Foundation sees flock's end once it has
            holder.waitUntilExit()
            #expect(holder.terminationReason == .uncaughtSignal)
            try FolderLock.acquire(output, name: "train.output").release()
        }
    #endif
}
