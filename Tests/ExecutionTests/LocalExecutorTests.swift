import FactoryCore
import Foundation
import Synchronization
import Testing

@testable import Execution

@Suite struct LocalExecutorTests {
    @Test func runsEveryJobWithBoundedConcurrencyAndKeepsGoingAfterAFailure() throws {
        let directory = NSTemporaryDirectory() + "factory-exec-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Each job records its start, sleeps, and records its end; job 3 fails.
        let jobs = (0..<6).map { index in
            Job(
                name: "job\(index)", executable: "/bin/sh",
                arguments: [
                    "-c",
                    "echo start $(date +%s%N) >> \(directory)/trace; sleep 0.2; echo end $(date +%s%N) >> \(directory)/trace; echo out\(index); exit \(index == 3 ? 7 : 0)",
                ],
                logPath: "\(directory)/job\(index).log")
        }
        let finished = Mutex(0)
        let outcomes = try LocalExecutor(workers: 2).run(jobs) { _ in finished.withLock { $0 += 1 } }
        #expect(outcomes.map(\.job.name) == jobs.map(\.name))
        #expect(outcomes.map(\.exitStatus) == [0, 0, 0, 7, 0, 0])
        #expect(finished.withLock { $0 } == 6)
        #expect(try String(contentsOfFile: "\(directory)/job4.log", encoding: .utf8) == "out4\n")
        // Never more than two jobs between a start and an end.
        let events = try String(contentsOfFile: "\(directory)/trace", encoding: .utf8).split(separator: "\n").map { line -> (Bool, Int) in
            let parts = line.split(separator: " ")
            return (parts[0] == "start", Int(parts[1])!)
        }.sorted { $0.1 < $1.1 }
        var running = 0
        var most = 0
        for (isStart, _) in events {
            running += isStart ? 1 : -1
            most = max(most, running)
        }
        #expect(most <= 2)
    }

    @Test func aMissingExecutableIsNamed() {
        #expect {
            try LocalExecutor(workers: 1).run(
                [Job(name: "x", executable: "/nonexistent/factory", arguments: [], logPath: NSTemporaryDirectory() + "x-\(UUID().uuidString).log")]
            ) { _ in }
        } throws: { error in
            guard case .io(let path, let operation, let reason) = error as? FactoryError else { return false }
            return path == "/nonexistent/factory" && operation == "start job 'x'" && reason.contains("no such file or directory")
        }
    }
}
