import FactoryCore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A bubblewrap (`bwrap`) sandbox for running untrusted programs, such as a model's code.
///
/// Each run gets new user, PID, network, IPC, UTS and cgroup namespaces: no network but its own
/// loopback, no view of the host's processes, and, when the run's first process ends, the kernel
/// kills every process left in it. The file system is read-only: `/usr` (with `/bin`, `/lib`…)
/// and the few files of `/etc` the dynamic linker and Python read, at their host paths, over a
/// root, `/dev` and `/proc` of the sandbox's own; the only writable place is a private tmpfs of a
/// set size on `/tmp`, also the working directory. The environment is cleared (`PATH`, `HOME`,
/// `LANG`, `TMPDIR` set), the run gets a new session (no terminal to inject into), may not create
/// user namespaces of its own, and dies with this process. Limits (``SandboxLimits``) are set
/// with `prlimit` inside the sandbox, after its user namespace exists, on CPU time, address
/// space, processes, file size and open files; the wall clock and an output cap are enforced
/// from outside by killing the sandbox.
///
/// The process limit needs care: the kernel does not apply `RLIMIT_NPROC` to root, so when this
/// process runs as root the sandbox is started as uid and gid 65534 (`nobody`, through
/// `setpriv`). Counted in the run's own user namespace, the limit holds for each run apart, so
/// concurrent runs do not share it.
///
/// ``locate(searchPath:)`` finds the tools and runs a trivial sandbox; when that fails it throws
/// and nothing ever runs unsandboxed.
public struct Sandbox: Sendable {
    /// The `bwrap` executable.
    public let bubblewrap: String
    /// Its version (`0.8.0`).
    public let version: String
    /// `prlimit`, run inside the sandbox (so under `/usr` or `/bin`).
    let prlimit: String
    /// `setpriv` when this process is root: it drops to ``unprivilegedID`` before `bwrap` starts.
    let setpriv: String?
    /// The mounts of the sandbox's read-only view of the host, as `bwrap` arguments.
    let viewArguments: [String]

    /// The uid and gid a sandbox started by root runs as (`nobody`).
    public static let unprivilegedID = 65534
    /// The oldest bubblewrap with what the sandbox uses (`--disable-userns`, `--size`).
    public static let minimumVersion = [0, 8, 0]
    /// The host folders the sandbox sees, read-only at the same paths; each of the others a
    /// symbolic link into `/usr` (merged `/usr`) is recreated as one.
    static let systemFolders = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]
    /// The files of `/etc` the sandbox sees, where they exist, with `python3*` folders.
    static let etcEntries = ["ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "alternatives"]

    /// Finds `bwrap` (0.8 or newer), `prlimit` and, as root, `setpriv` in `searchPath` (default:
    /// `PATH`), and checks the sandbox works by running `/bin/true` in it.
    ///
    /// - Throws: `FactoryError.missingDependency` naming what is missing: `bwrap` ("install
    ///   bubblewrap (make setup)"), a too old bubblewrap, `prlimit` or `setpriv` (util-linux), or
    ///   user namespaces, with the kernel settings to check, when `bwrap` cannot create one.
    public static func locate(searchPath: String? = nil) throws -> Sandbox {
        #if !os(Linux)
            throw FactoryError.missingDependency(name: "bwrap", hint: "the sandbox needs Linux with bubblewrap")
        #else
            guard let bubblewrap = ChildProcess.locate("bwrap", searchPath: searchPath) else {
                throw FactoryError.missingDependency(name: "bwrap", hint: "install bubblewrap (make setup)")
            }
            let version = try bubblewrapVersion(bubblewrap)
            guard !version.lexicographicallyPrecedes(minimumVersion) else {
                throw FactoryError.missingDependency(
                    name: "bubblewrap \(minimumVersion.map(String.init).joined(separator: ".")) or newer",
                    hint: "\(bubblewrap) is version \(version.map(String.init).joined(separator: ".")); the sandbox needs "
                        + "--disable-userns and --size; install a newer bubblewrap")
            }
            guard let prlimit = ChildProcess.locate("prlimit", searchPath: visibleFolders(of: searchPath)) else {
                throw FactoryError.missingDependency(
                    name: "prlimit", hint: "install util-linux (make setup); it must lie under /usr or /bin, which the sandbox sees")
            }
            var setpriv: String?
            if geteuid() == 0 {
                guard let found = ChildProcess.locate("setpriv", searchPath: searchPath) else {
                    throw FactoryError.missingDependency(
                        name: "setpriv",
                        hint: "install util-linux (make setup): as root the sandbox drops to uid \(unprivilegedID), "
                            + "since the kernel does not limit root's process count")
                }
                setpriv = found
            }
            let sandbox = Sandbox(
                bubblewrap: bubblewrap, version: version.map(String.init).joined(separator: "."), prlimit: prlimit,
                setpriv: setpriv, viewArguments: hostViewArguments())
            try sandbox.probe()
            return sandbox
        #endif
    }

    /// Runs `/bin/true` in the sandbox; a failure to start it is almost always missing user
    /// namespaces, and is reported with the settings to check.
    private func probe() throws {
        let failure: String
        do {
            let result = try run(["/bin/true"], limits: SandboxLimits(wallSeconds: 60))
            if result.succeeded { return }
            failure = "/bin/true \(result.summary) in it"
        } catch let error as FactoryError {
            failure = error.description
        }
        throw FactoryError.missingDependency(
            name: "user namespaces",
            hint: "\(bubblewrap) could not run a sandbox (\(failure)); most likely user namespaces are unavailable: "
                + "check sysctl user.max_user_namespaces (above 0), kernel.unprivileged_userns_clone (1, where it exists) "
                + "and kernel.apparmor_restrict_unprivileged_userns (0, where it exists), or, in a container, "
                + "that it allows creating user namespaces")
    }

    /// `bwrap --version`'s numbers (`bubblewrap 0.8.0` → `[0, 8, 0]`).
    private static func bubblewrapVersion(_ bubblewrap: String) throws -> [Int] {
        let outcome = try ChildProcess.run(bubblewrap, arguments: ["--version"])
        let text = String(decoding: outcome.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard outcome.succeeded, let word = text.split(separator: " ").last,
            case let numbers = word.split(separator: ".").map({ Int($0) }), !numbers.isEmpty, numbers.allSatisfy({ $0 != nil })
        else {
            throw FactoryError.missingDependency(
                name: "bwrap", hint: "\(bubblewrap) --version \(outcome.description) saying '\(text)', not a bubblewrap version")
        }
        return numbers.compactMap { $0 }
    }

    /// The folders of `searchPath` (default `PATH`) the sandbox sees.
    static func visibleFolders(of searchPath: String?) -> String {
        let folders = (searchPath ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return folders.filter { isVisible(String($0)) }.joined(separator: ":")
    }

    /// Whether `path` lies, symbolic links resolved, under a folder the sandbox sees.
    static func isVisible(_ path: String) -> Bool {
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        return systemFolders.contains { resolved == $0 || resolved.hasPrefix($0 + "/") }
    }

    /// `bwrap` arguments for the read-only view of the host: the system folders (bound, or
    /// recreated as the links they are) and the `/etc` entries that exist.
    private static func hostViewArguments() -> [String] {
        let files = FileManager.default
        var arguments: [String] = []
        for folder in systemFolders {
            if let target = try? files.destinationOfSymbolicLink(atPath: folder) {
                arguments += ["--symlink", target, folder]
            } else if files.fileExists(atPath: folder) {
                arguments += ["--ro-bind", folder, folder]
            }
        }
        let python = ((try? files.contentsOfDirectory(atPath: "/etc")) ?? []).filter { $0.hasPrefix("python3") }.sorted()
        for entry in etcEntries + python where files.fileExists(atPath: "/etc/\(entry)") {
            arguments += ["--ro-bind", "/etc/\(entry)", "/etc/\(entry)"]
        }
        return arguments
    }
}
