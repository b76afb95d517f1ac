import FactoryCore
import Foundation
import Synchronization
import Testing

@testable import Lineage

/// Hostile states of a store: a lost database next to stored objects, a damaged database, an id
/// prefix naming several records, runs whose process died, special files as artifacts.
@Suite struct StoreHardeningTests {
    /// A store at `root` holding one artifact, closed again.
    private func storeWithOneArtifact(_ scratch: ScratchDirectory) throws -> String {
        let root = scratch.path + "/store"
        let store = try FactoryStore.open(root: root)
        try store.addArtifact(bytes: Array("tokens\n".utf8), kind: "dataset", name: "a.txt")
        return root
    }

    @Test func anEmptyDatabaseNextToStoredObjectsIsRefused() throws {
        let scratch = try ScratchDirectory()
        let root = try storeWithOneArtifact(scratch)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: root + "/lineage.sqlite" + suffix) }
        #expect(truncate(root + "/lineage.sqlite", 0) == 0)
        #expect(
            throws: FactoryError.corrupt(
                path: root + "/lineage.sqlite",
                reason:
                    "it is empty (0 bytes) while \(root)/objects holds stored objects; a new database would orphan them. Restore the database from a backup, or move the objects folder away to start a new store"
            )
        ) { try FactoryStore.open(root: root) }
        // Still refused on the next try: nothing was created over the objects.
        #expect(throws: FactoryError.self) { try FactoryStore.open(root: root) }
        #expect(FileSystem.sizeIfPresent(root + "/lineage.sqlite") == 0)
    }

    @Test func aMissingDatabaseNextToStoredObjectsIsRefused() throws {
        let scratch = try ScratchDirectory()
        let root = try storeWithOneArtifact(scratch)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: root + "/lineage.sqlite" + suffix) }
        #expect(throws: FactoryError.self) { try FactoryStore.open(root: root) }
        do {
            _ = try FactoryStore.open(root: root)
        } catch {
            #expect("\(error)".hasPrefix("\(root)/lineage.sqlite is corrupt: it is missing while \(root)/objects holds stored objects"))
        }
    }

    @Test func aNewStoreAndAReopenedStoreOpen() throws {
        let scratch = try ScratchDirectory()
        let root = try storeWithOneArtifact(scratch)
        let reopened = try FactoryStore.open(root: root)
        #expect(try reopened.records.artifacts(kind: nil, digestPrefix: "").map(\.name) == ["a.txt"])
        #expect(try reopened.records.integrityProblems() == [])
    }

    @Test func garbageInTheMiddleOfTheDatabaseIsFoundByTheIntegrityCheck() throws {
        let scratch = try ScratchDirectory()
        let root = scratch.path + "/store"
        do {
            let store = try FactoryStore.open(root: root)
            for index in 0..<400 {
                try store.addArtifact(
                    bytes: Array("artifact \(index)\n".utf8), kind: "dataset", name: "file-\(index).txt",
                    metadata: .table(["note": .string(String(repeating: "n", count: 200))]))
            }
        }
        let database = root + "/lineage.sqlite"
        let size = try #require(FileSystem.sizeIfPresent(database))
        let pageSize: Int64 = 4096
        #expect(size >= pageSize * 8)
        // Overwrite one page in the middle of the file (not the first, which holds the schema).
        let handle = try #require(FileHandle(forWritingAtPath: database))
        try handle.seek(toOffset: UInt64((size / pageSize / 2) * pageSize))
        handle.write(Data(repeating: 0xA5, count: Int(pageSize)))
        try handle.close()
        let damaged = try FactoryStore.open(root: root)
        let problems = try damaged.records.integrityProblems()
        #expect(!problems.isEmpty)
    }

    @Test func aPrefixMatchingARunAndAnArtifactIsAmbiguous() throws {
        let scratch = try ScratchDirectory()
        let store = try FactoryStore.open(root: scratch.path + "/store")
        let artifact = try store.addArtifact(bytes: Array("tokens\n".utf8), kind: "dataset", name: "a.txt")
        let prefix = String(artifact.digest.hex.prefix(6))
        let run = try store.testRun(prefix + "-run")
        #expect(
            throws: FactoryError.invalidArgument(
                name: "node",
                message:
                    "'\(prefix)' is ambiguous: it matches 2 records: run \(run.id) (proxy \(run.id)); artifact \(artifact.digest.hex) (dataset a.txt); give more characters"
            )
        ) { try store.records.resolveNode(prefix) }
        #expect(try store.records.resolveNode(run.id) == .run(run.id))
        // A whole run id stands for itself even when it begins another run's id.
        let longer = try store.testRun(run.id + "-2")
        #expect(try store.records.resolveNode(run.id) == .run(run.id))
        #expect(try store.records.resolveNode(longer.id) == .run(longer.id))
        #expect(try store.records.resolveNode(String(artifact.digest.hex.prefix(12))) == .artifact(artifact.digest))
        #expect(throws: FactoryError.invalidArgument(name: "node", message: "'zz' is neither a run id nor an artifact digest in this store")) {
            try store.records.resolveNode("zz")
        }
    }

    @Test func runsWhoseProcessDiedAreEndedAsKilledWithAnEvent() throws {
        let scratch = try ScratchDirectory()
        let store = try FactoryStore.open(root: scratch.path + "/store")
        let pid = Mutex<Int32>(0)
        _ = try ChildProcess.run("true", arguments: []) { process in
            pid.withLock { $0 = process.processIdentifier }
            return {}
        }
        let deadProcess = ProcessIdentity(pid: pid.withLock { $0 }, start: nil)
        let at = Date(timeIntervalSince1970: 1_700_000_000)
        let dead = try store.startRun(kind: "train", name: "dead", id: "dead", provenance: testProvenance, process: deadProcess, startedAt: at)
        let alive = try store.startRun(kind: "train", name: "alive", id: "alive", provenance: testProvenance, startedAt: at)
        let external = try store.startRun(kind: "train", name: "external", id: "external", provenance: testProvenance, process: nil, startedAt: at)
        var elsewhere = testProvenance
        elsewhere.host = "another-host"
        let remote = try store.startRun(kind: "train", name: "remote", id: "remote", provenance: elsewhere, process: deadProcess, startedAt: at)

        let ended = try store.endRunsOfDeadProcesses(host: "test-host", now: at.addingTimeInterval(60))
        #expect(ended.map(\.id) == ["dead"])
        #expect(try store.records.run(dead.id)?.status == .killed)
        #expect(try store.records.run(dead.id)?.endedAt == at.addingTimeInterval(60))
        let events = try store.records.events(ofRun: dead.id)
        #expect(events.map(\.kind) == [.died])
        #expect(events.first?.message == "process \(deadProcess.pid) on test-host ended without ending the run (killed by a signal or crashed)")
        for run in [alive, external, remote] { #expect(try store.records.run(run.id)?.status == .running) }
        #expect(try store.records.run(dead.id)?.process == deadProcess)
        #expect(try store.endRunsOfDeadProcesses(host: "test-host").isEmpty)
    }

    @Test func devicesAndFIFOsAreNotArtifacts() throws {
        let scratch = try ScratchDirectory()
        let store = try FactoryStore.open(root: scratch.path + "/store")
        #expect(
            throws: FactoryError.invalidArgument(name: "artifact /dev/zero", message: "is a character device, not a regular file or a folder of them")
        ) { try store.addArtifact(atPath: "/dev/zero", kind: "dataset") }
        let fifo = scratch.path + "/pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: FactoryError.invalidArgument(name: "artifact \(fifo)", message: "is a FIFO, not a regular file or a folder of them")) {
            try store.addArtifact(atPath: fifo, kind: "dataset")
        }
        #expect(try store.records.artifacts(kind: nil, digestPrefix: "").isEmpty)
    }
}
