import FactoryCore

/// What one sandboxed run may use. The defaults suit scoring short Python programs (a function and
/// its asserts): a few seconds of CPU, a gibibyte of address space, a few dozen processes.
///
/// As configuration (a TOML or JSON table, every key optional):
/// ```toml
/// cpu_seconds = 5          # CPU time of each process: SIGXCPU at this, SIGKILL one second later
/// wall_seconds = 10.0      # the whole sandbox is killed this long after it starts
/// memory_bytes = 1073741824  # address space of each process (RLIMIT_AS)
/// processes = 32           # processes and threads in the sandbox at once, its own init included
/// file_bytes = 16777216    # the largest file a process may write (RLIMIT_FSIZE)
/// tmpfs_bytes = 67108864   # the size of the sandbox's only writable folder, /tmp
/// open_files = 64          # open file descriptors per process (RLIMIT_NOFILE)
/// output_bytes = 1048576   # standard output and standard error each kept up to this; more stops the run
/// ```
/// ``validate(fail:)`` checks the ranges.
public struct SandboxLimits: Codable, Sendable, Equatable {
    /// CPU seconds per process (`RLIMIT_CPU`, soft; the hard limit is one second more).
    public var cpuSeconds: Int
    /// Seconds of wall-clock time before the whole sandbox is killed.
    public var wallSeconds: Double
    /// Bytes of address space per process (`RLIMIT_AS`).
    public var memoryBytes: Int
    /// Processes and threads alive in the sandbox at once (`RLIMIT_NPROC`, counted in the
    /// sandbox's own user namespace), bubblewrap's init process included.
    public var processes: Int
    /// The largest file a process may write (`RLIMIT_FSIZE`).
    public var fileBytes: Int
    /// The size of `/tmp`, the sandbox's only writable folder and working directory.
    public var tmpfsBytes: Int
    /// Open file descriptors per process (`RLIMIT_NOFILE`).
    public var openFiles: Int
    /// Bytes kept of standard output and of standard error each; a run writing more is stopped.
    public var outputBytes: Int

    enum CodingKeys: String, CodingKey {
        case cpuSeconds = "cpu_seconds"
        case wallSeconds = "wall_seconds"
        case memoryBytes = "memory_bytes"
        case processes
        case fileBytes = "file_bytes"
        case tmpfsBytes = "tmpfs_bytes"
        case openFiles = "open_files"
        case outputBytes = "output_bytes"
    }

    /// Limits; every argument defaults to the value for short Python programs.
    public init(
        cpuSeconds: Int = 5, wallSeconds: Double = 10, memoryBytes: Int = 1 << 30, processes: Int = 32,
        fileBytes: Int = 16 << 20, tmpfsBytes: Int = 64 << 20, openFiles: Int = 64, outputBytes: Int = 1 << 20
    ) {
        self.cpuSeconds = cpuSeconds
        self.wallSeconds = wallSeconds
        self.memoryBytes = memoryBytes
        self.processes = processes
        self.fileBytes = fileBytes
        self.tmpfsBytes = tmpfsBytes
        self.openFiles = openFiles
        self.outputBytes = outputBytes
    }

    /// Decodes a table in which every key is optional (a missing one takes its default).
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = SandboxLimits()
        cpuSeconds = try container.decodeIfPresent(Int.self, forKey: .cpuSeconds) ?? defaults.cpuSeconds
        wallSeconds = try container.decodeIfPresent(Double.self, forKey: .wallSeconds) ?? defaults.wallSeconds
        memoryBytes = try container.decodeIfPresent(Int.self, forKey: .memoryBytes) ?? defaults.memoryBytes
        processes = try container.decodeIfPresent(Int.self, forKey: .processes) ?? defaults.processes
        fileBytes = try container.decodeIfPresent(Int.self, forKey: .fileBytes) ?? defaults.fileBytes
        tmpfsBytes = try container.decodeIfPresent(Int.self, forKey: .tmpfsBytes) ?? defaults.tmpfsBytes
        openFiles = try container.decodeIfPresent(Int.self, forKey: .openFiles) ?? defaults.openFiles
        outputBytes = try container.decodeIfPresent(Int.self, forKey: .outputBytes) ?? defaults.outputBytes
    }

    /// The most wall-clock seconds a run may be given (a day).
    public static let maximumWallSeconds = 86_400.0

    /// Checks every limit's range; `fail(key, message)` makes the error for a key of the table.
    /// The lower bounds are what `sh` and a Python interpreter need to start at all; the upper
    /// ones keep one run from taking the machine.
    public func validate(fail: (String, String) -> FactoryError) throws {
        let ranges: [(CodingKeys, Int, ClosedRange<Int>)] = [
            (.cpuSeconds, cpuSeconds, 1...3_600),
            (.memoryBytes, memoryBytes, (32 << 20)...(1 << 40)),
            (.processes, processes, 4...4_096),
            (.fileBytes, fileBytes, 4_096...(1 << 36)),
            (.tmpfsBytes, tmpfsBytes, (1 << 20)...(1 << 36)),
            (.openFiles, openFiles, 16...65_536),
            (.outputBytes, outputBytes, 1_024...(1 << 30)),
        ]
        for (key, value, range) in ranges where !range.contains(value) {
            throw fail(key.rawValue, "must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
        }
        guard wallSeconds > 0, wallSeconds <= Self.maximumWallSeconds else {
            throw fail(CodingKeys.wallSeconds.rawValue, "must be positive and at most \(Self.maximumWallSeconds), got \(wallSeconds)")
        }
    }
}
