import FactoryCore
import Foundation
import Synchronization
import Testing

@Suite struct ChildProcessTests {
    @Test func capturesEachStreamAndTheExitStatus() throws {
        let outcome = try ChildProcess.run("sh", arguments: ["-c", "printf out; printf err >&2; exit 3"])
        #expect(String(decoding: outcome.output, as: UTF8.self) == "out")
        #expect(String(decoding: outcome.errors, as: UTF8.self) == "err")
        #expect(outcome.exited && outcome.status == 3 && !outcome.succeeded)
        #expect(outcome.description == "exited with status 3")
    }

    @Test func streamsOutputWithErrorsJoinedInOrder() throws {
        let chunks = Mutex(Data())
        let outcome = try ChildProcess.run(
            "sh", arguments: ["-c", "echo one; echo two >&2; echo three"], output: .stream { chunk in chunks.withLock { $0.append(chunk) } },
            errors: .output)
        #expect(outcome.succeeded)
        #expect(String(decoding: chunks.withLock { $0 }, as: UTF8.self) == "one\ntwo\nthree\n")
    }

    @Test func largeOutputOnBothPipesDoesNotBlock() throws {
        let outcome = try ChildProcess.run("sh", arguments: ["-c", "head -c 1000000 /dev/zero; head -c 1000000 /dev/zero >&2"])
        #expect(outcome.output.count == 1_000_000 && outcome.errors.count == 1_000_000)
    }

    @Test func aSignalIsReported() throws {
        let outcome = try ChildProcess.run("sh", arguments: ["-c", "kill -KILL $$"])
        #expect(!outcome.exited && outcome.status == SIGKILL)
        #expect(outcome.description == "was killed by signal \(SIGKILL)")
    }

    @Test func theRunningChildIsLentAndTheFinishRunsAfterItEnds() throws {
        let lent = Mutex<[String]>([])
        let outcome = try ChildProcess.run("sh", arguments: ["-c", "exit 0"]) { process in
            lent.withLock { $0.append("running \(process.processIdentifier > 0)") }
            return { lent.withLock { $0.append("ended \(!process.isRunning)") } }
        }
        #expect(outcome.succeeded)
        #expect(lent.withLock { $0 } == ["running true", "ended true"])
    }

    @Test func aMissingProgramIsAnErrorNamingIt() {
        #expect {
            try ChildProcess.run("no-such-program-\(UUID().uuidString.prefix(8))", arguments: [])
        } throws: { error in
            guard case .fileNotFound(let path) = error as? FactoryError else { return false }
            return path.hasPrefix("no-such-program-")
        }
        #expect(ChildProcess.locate("sh") != nil)
    }
}
