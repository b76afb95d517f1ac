import Dispatch
import FactoryCore
import Foundation
import Synchronization

/// Runs jobs as child processes on this machine, at most `workers` at a time.
public struct LocalExecutor: Executor {
    public let workers: Int

    /// `workers` concurrent processes (default: one per core).
    public init(workers: Int = HostInfo.activeCores) {
        self.workers = max(workers, 1)
    }

    public func run(_ jobs: [Job], onFinish: @escaping @Sendable (JobOutcome) -> Void) throws -> [JobOutcome] {
        let outcomes = Mutex<[Int: JobOutcome]>([:])
        let launchFailure = Mutex<FactoryError?>(nil)
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: min(workers, jobs.count)) { _ in
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < jobs.count else { return }
                do {
                    let outcome = try Self.runOne(jobs[index])
                    outcomes.withLock { $0[index] = outcome }
                    onFinish(outcome)
                } catch let error as FactoryError {
                    launchFailure.withLock { $0 = $0 ?? error }
                } catch {
                    launchFailure.withLock { $0 = $0 ?? FactoryError.io(path: jobs[index].executable, operation: "run", reason: "\(error)") }
                }
            }
        }
        if let failure = launchFailure.withLock({ $0 }) { throw failure }
        return outcomes.withLock { results in jobs.indices.map { results[$0]! } }
    }

    private static func runOne(_ job: Job) throws -> JobOutcome {
        let fileManager = FileManager.default
        if !fileManager.fileExists(atPath: job.logPath) {
            guard fileManager.createFile(atPath: job.logPath, contents: nil) else {
                throw FactoryError.io(path: job.logPath, operation: "create the log", reason: "the folder may not exist")
            }
        }
        guard let log = FileHandle(forWritingAtPath: job.logPath) else {
            throw FactoryError.io(path: job.logPath, operation: "open the log", reason: "permission denied")
        }
        defer { try? log.close() }
        log.seekToEndOfFile()
        let start = ProgressReporter.monotonicSeconds()
        let outcome: ChildProcess.Outcome
        do {
            outcome = try ChildProcess.run(job.executable, arguments: job.arguments, output: .file(log), errors: .output)
        } catch {
            throw FactoryError.io(path: job.executable, operation: "start job '\(job.name)'", reason: "\(error)")
        }
        return JobOutcome(job: job, exitStatus: outcome.status, seconds: ProgressReporter.monotonicSeconds() - start)
    }
}
