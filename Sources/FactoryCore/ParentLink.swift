import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Ties a `factory` process started by another `factory` process (a pipeline stage, a sweep's
/// proxy run) to its parent's lifetime: when the parent dies, even by `kill -9`, the child is
/// killed too, instead of running on and colliding with the next run's.
///
/// ``ChildProcess`` tells every child the parent's process id in ``environmentKey``; a `factory`
/// process that finds it calls ``tieToParent()`` first thing. On Linux that asks the kernel for
/// `SIGKILL` when the parent ends (`PR_SET_PDEATHSIG`), then checks the parent is still the one
/// named, since it may have died before the request. Other programs ignore the variable.
public enum ParentLink {
    /// The environment variable holding the parent's process id.
    public static let environmentKey = "FACTORY_PARENT_PID"

    /// The environment for a child of this process: this one's, with ``environmentKey`` set to
    /// this process's id.
    public static var childEnvironment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment[environmentKey] = String(getpid())
        return environment
    }

    /// Dies with the parent named in ``environmentKey``, if any: from now on when it ends, or at
    /// once when it has already ended. Does nothing without the variable.
    public static func tieToParent() {
        guard let text = ProcessInfo.processInfo.environment[environmentKey], let parent = pid_t(text) else { return }
        #if os(Linux)
            requestKillOnParentDeath()
        #endif
        // The parent may have died between starting this process and the request above; then
        // this process was handed to another parent and nothing would ever kill it. (A parent
        // that is an ancestor but not the direct one started this process through another
        // program; the request then ties this process to that program.)
        if !isAncestor(parent) {
            FileHandle.standardError.write(Data("factory: parent process \(parent) ended before this one started; stopping\n".utf8))
            _exit(137)
        }
    }

    /// Whether `pid` is this process's parent or one of its ancestors (walking `/proc` where
    /// there is one; elsewhere only the direct parent is known).
    private static func isAncestor(_ pid: pid_t) -> Bool {
        var current = getppid()
        for _ in 0..<64 {
            if current == pid { return true }
            guard current > 1, let stat = try? String(contentsOfFile: "/proc/\(current)/stat", encoding: .utf8),
                let nameEnd = stat.lastIndex(of: ")")
            else { return false }
            let fields = stat[stat.index(after: nameEnd)...].split(separator: " ")
            guard fields.count > 1, let next = pid_t(fields[1]) else { return false }
            current = next
        }
        return false
    }

    #if os(Linux)
        /// `prctl(PR_SET_PDEATHSIG, SIGKILL)`. The C library's `prctl` is variadic, which Swift does
        /// not import; it is looked up by name and called with its five integer arguments, which
        /// the Linux calling conventions pass alike for variadic and fixed parameters.
        private static func requestKillOnParentDeath() {
            typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
            let setParentDeathSignal: Int32 = 1  // PR_SET_PDEATHSIG in <linux/prctl.h>
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "prctl") else { return }
            _ = unsafeBitCast(symbol, to: Prctl.self)(setParentDeathSignal, UInt(SIGKILL), 0, 0, 0)
        }
    #endif
}
