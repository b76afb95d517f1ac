import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A process on this machine, told apart from a later process given the same id: its process id
/// and, where the system says (Linux), the boot and the clock tick it started at.
///
/// Records of long work (runs) keep the identity of the process doing it, so a record left
/// "running" by a process that died (`kill -9`, an out-of-memory kill, a trap) can be recognised.
public struct ProcessIdentity: Hashable, Sendable {
    /// The process id.
    public let pid: Int32
    /// `BOOT-ID/START-TICKS` on Linux; `nil` where the system does not say.
    public let start: String?

    /// An identity as recorded earlier.
    public init(pid: Int32, start: String?) {
        self.pid = pid
        self.start = start
    }

    /// This process.
    public static var current: ProcessIdentity {
        let pid = getpid()
        return ProcessIdentity(pid: pid, start: startToken(of: pid))
    }

    /// Whether the process is still running on this machine: `false` when no process has its id,
    /// or the one that has it started at another time (the id was reused, or the machine rebooted).
    public var isRunning: Bool {
        if kill(pid, 0) != 0 && errno == ESRCH { return false }
        guard let start else { return true }
        guard let now = Self.startToken(of: pid) else { return false }
        return now == start
    }

    /// The boot id and the start time (field 22 of `/proc/PID/stat`, clock ticks since boot).
    private static func startToken(of pid: Int32) -> String? {
        guard let boot = try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8),
            let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let nameEnd = stat.lastIndex(of: ")")
        else { return nil }
        // After "pid (name)", field 3 (state) is the first; the start time is field 22.
        let fields = stat[stat.index(after: nameEnd)...].split(separator: " ")
        guard fields.count > 19, fields[0] != "Z" else { return nil }
        return boot.trimmingCharacters(in: .whitespacesAndNewlines) + "/" + fields[19]
    }
}
