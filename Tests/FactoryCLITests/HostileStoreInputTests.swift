import FactoryCore
import Foundation
import Lineage
import Testing

/// Stores, locks and process lifetime, tried as a hostile user would through the built `factory`:
/// each case is refused with a message naming the file or option, never a trap, a hang or a raw
/// Foundation error.
@Suite struct HostileStoreInputTests {
    /// A fresh folder for one test.
    private static func scratch(_ name: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-store-\(name)-\(getpid())").path
        try? FileManager.default.removeItem(atPath: folder)
        try FilePath.createFolder(folder)
        return folder
    }

    @Test func artifactsAddOfADeviceOrAFIFOIsRefusedByName() throws {
        let folder = try Self.scratch("special")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let zero = try FactoryExecutable.run(["artifacts", "add", "/dev/zero", "--kind", "dataset", "--store", folder + "/store"], timeout: 60)
        #expect(zero.refusedCleanly)
        #expect(zero.errors.contains("invalid artifact /dev/zero: is a character device, not a regular file or a folder of them"))
        let fifo = folder + "/pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        let pipe = try FactoryExecutable.run(["artifacts", "add", fifo, "--kind", "dataset", "--store", folder + "/store"], timeout: 60)
        #expect(pipe.refusedCleanly)
        #expect(pipe.errors.contains("invalid artifact \(fifo): is a FIFO, not a regular file or a folder of them"))
    }

    @Test func aZeroByteDatabaseNextToStoredObjectsIsRefused() throws {
        let folder = try Self.scratch("empty-db")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = folder + "/store"
        try AtomicFile.write(Data("tokens\n".utf8), toPath: folder + "/a.txt")
        #expect(try FactoryExecutable.run(["artifacts", "add", folder + "/a.txt", "--kind", "dataset", "--store", store]).status == 0)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store + "/lineage.sqlite" + suffix) }
        #expect(truncate(store + "/lineage.sqlite", 0) == 0)
        for arguments in [["artifacts", "list"], ["artifacts", "add", folder + "/a.txt", "--kind", "dataset"]] {
            let outcome = try FactoryExecutable.run(arguments + ["--store", store])
            #expect(outcome.refusedCleanly)
            #expect(
                outcome.errors.contains(
                    "\(store)/lineage.sqlite is corrupt: it is empty (0 bytes) while \(store)/objects holds stored objects; a new database would orphan them"
                ))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: store + "/lineage.sqlite")).isEmpty)
    }

    @Test func artifactsVerifyRunsSQLitesIntegrityCheck() throws {
        let folder = try Self.scratch("garbage")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = folder + "/store"
        do {
            let opened = try FactoryStore.open(root: store)
            for index in 0..<400 {
                try opened.addArtifact(
                    bytes: Array("artifact \(index)\n".utf8), kind: "dataset", name: "file-\(index).txt",
                    metadata: .table(["note": .string(String(repeating: "n", count: 200))]))
            }
        }
        let sound = try FactoryExecutable.run(["artifacts", "verify", "--store", store])
        #expect(sound.status == 0)
        #expect(sound.output.contains("ok       lineage database \(store)/lineage.sqlite"))
        let database = store + "/lineage.sqlite"
        let size = try #require(try FileManager.default.attributesOfItem(atPath: database)[.size] as? NSNumber).int64Value
        let handle = try #require(FileHandle(forWritingAtPath: database))
        try handle.seek(toOffset: UInt64((size / 4096 / 2) * 4096))
        handle.write(Data(repeating: 0xA5, count: 4096))
        try handle.close()
        let damaged = try FactoryExecutable.run(["artifacts", "verify", "--store", store])
        #expect(damaged.refusedCleanly)
        #expect(
            damaged.output.contains("DAMAGED  lineage database \(database) (SQLite integrity check):")
                || damaged.errors.contains("\(database) is corrupt:"))
    }

    @Test func aLineagePrefixMatchingARunAndAnArtifactIsAmbiguous() throws {
        let folder = try Self.scratch("ambiguous")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = folder + "/store"
        try AtomicFile.write(Data("tokens\n".utf8), toPath: folder + "/a.txt")
        let added = try FactoryExecutable.run(["artifacts", "add", folder + "/a.txt", "--kind", "dataset", "--store", store])
        let digest = added.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let prefix = String(digest.prefix(6))
        #expect(try FactoryExecutable.run(["runs", "start", "--kind", "proxy", "--id", prefix + "-run", "--store", store]).status == 0)
        let outcome = try FactoryExecutable.run(["lineage", prefix, "--store", store])
        #expect(outcome.refusedCleanly)
        #expect(
            outcome.errors.contains(
                "invalid node: '\(prefix)' is ambiguous: it matches 2 records: run \(prefix)-run (proxy proxy); artifact \(digest) (dataset a.txt); give more characters"
            ))
    }

    @Test func aStoreThatCannotBeCreatedNamesThePathAndTheReason() throws {
        let folder = try Self.scratch("not-a-folder")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try AtomicFile.write(Data("x".utf8), toPath: folder + "/file")
        let outcome = try FactoryExecutable.run(["artifacts", "add", folder + "/file", "--kind", "dataset", "--store", folder + "/file/store"])
        #expect(outcome.refusedCleanly)
        #expect(outcome.errors.contains("\(folder)/file/store: could not create the folder: Not a directory"))
        #expect(!outcome.errors.contains("NSCocoaErrorDomain"))
    }

    @Test func aSecondTrainerOnAnOutputFolderIsRefusedNamingTheHolder() throws {
        let folder = try Self.scratch("trainer-lock")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = folder + "/run"
        let runFile = folder + "/run.toml"
        try AtomicFile.write(
            Data(
                """
                [model]
                preset = "laguna-tiny"

                [data]
                train = "\(folder)/shards"

                [optimizer]
                lr = 3e-3

                [schedule]
                kind = "cosine"
                warmup = 2

                [train]
                steps = 10
                batch = 2
                sequence_length = 16
                seed = 0
                output = "\(output)"
                """.utf8), toPath: runFile)
        // This test process holds the folder as a first trainer would.
        let lock = try FolderLock.acquire(output, name: "train.output")
        defer { lock.release() }
        let outcome = try FactoryExecutable.run(["train", "--config", runFile, "--store", folder + "/store"])
        #expect(outcome.refusedCleanly)
        #expect(outcome.errors.contains("invalid train.output of \(runFile) \(output): is in use by process \(getpid()), which is writing into it"))
    }

    #if os(Linux)
        /// A `factory` process started by another (here a shell standing in for the pipeline runner,
        /// with the variable `ChildProcess` sets) dies when that parent is killed with SIGKILL,
        /// instead of running on; here it would otherwise wait forever for its standard input.
        @Test func aChildFactoryDiesWithItsParentAfterSigkill() throws {
            let folder = try Self.scratch("parent-death")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let store = try FactoryStore.open(root: folder + "/store")
            _ = try store.startRun(kind: "proxy", name: "r", id: "r", process: nil)
            let input = Pipe()  // held open and never written: `runs log --file -` blocks reading it
            let output = Pipe()
            let shell = Process()
            shell.executableURL = URL(fileURLWithPath: "/bin/sh")
            shell.arguments = [
                "-c", #"export FACTORY_PARENT_PID=$$; exec 3<&0; "$0" runs log r --file - --store "$1" <&3 & echo $!; wait"#,
                FactoryExecutable.path, folder + "/store",
            ]
            shell.standardInput = input
            shell.standardOutput = output
            try shell.run()
            let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
            let child = try #require(Int32(line.trimmingCharacters(in: .whitespacesAndNewlines)))
            defer { kill(child, SIGKILL) }
            // Wait until the child runs `factory` (not the shell's fork before exec), then kill the shell.
            var started = false
            for _ in 0..<3_000 where !started {
                let commandLine = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(child)/cmdline"))) ?? Data()
                started = String(decoding: commandLine, as: UTF8.self).contains("runs\u{0}log")
                if !started { Thread.sleep(forTimeInterval: 0.01) }
            }
            #expect(started)
            kill(shell.processIdentifier, SIGKILL)
            shell.waitUntilExit()
            var gone = false
            for _ in 0..<6_000 where !gone {
                gone = !ProcessIdentity(pid: child, start: nil).isRunning || Self.isZombie(child)
                if !gone { Thread.sleep(forTimeInterval: 0.01) }
            }
            #expect(gone, "the child factory \(child) outlived its parent")
            try input.fileHandleForWriting.close()
        }

        private static func isZombie(_ pid: Int32) -> Bool {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let end = stat.lastIndex(of: ")") else {
                return false
            }
            return stat[stat.index(after: end)...].split(separator: " ").first == "Z"
        }
    #endif
}
