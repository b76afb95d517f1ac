/// One command for an executor to run: an executable, its arguments, and where its output goes.
public struct Job: Sendable, Equatable {
    /// A name unique within one submission (used in logs and errors).
    public let name: String
    public let executable: String
    public let arguments: [String]
    /// Standard output and standard error are appended here.
    public let logPath: String

    public init(name: String, executable: String, arguments: [String], logPath: String) {
        self.name = name
        self.executable = executable
        self.arguments = arguments
        self.logPath = logPath
    }
}

/// How a job ended.
public struct JobOutcome: Sendable, Equatable {
    public let job: Job
    public let exitStatus: Int32
    public let seconds: Double

    public var succeeded: Bool { exitStatus == 0 }
}

/// Runs jobs somewhere: local processes now, cluster back ends (Slurm) later.
public protocol Executor: Sendable {
    /// Runs every job and returns their outcomes in submission order; a failing job does not
    /// stop the others. `onFinish` is called as each job ends (from any thread).
    func run(_ jobs: [Job], onFinish: @escaping @Sendable (JobOutcome) -> Void) throws -> [JobOutcome]
}
