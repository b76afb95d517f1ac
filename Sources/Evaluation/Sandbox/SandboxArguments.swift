import FactoryCore

extension Sandbox {
    /// The line the wrapper prints on standard output once the files are written and the limits
    /// set, just before the command starts: a run whose output does not begin with it never
    /// started (bubblewrap failed), which is an error, not a result.
    static let readyMarker = "factory-sandbox: ready\n"

    /// The shell script that runs first inside the sandbox, under the limits: it appends each
    /// (file, piece) argument pair to its file in `/tmp` up to a `--`, prints ``readyMarker``
    /// and replaces itself with the command that follows.
    static let wrapperScript =
        "while [ \"$#\" -gt 0 ] && [ \"$1\" != -- ]; do printf %s \"$2\" >> \"$1\" || exit 125; shift 2; done; "
        + "shift; echo '\(readyMarker.dropLast())'; exec \"$@\""

    /// The program to start and its arguments for one run of `command` with `files` under
    /// `limits`: `setpriv` (as root), then `bwrap` with the namespaces and mounts, then, inside,
    /// `prlimit`, `env` (signals unblocked and at their defaults) and the wrapper script.
    func commandLine(_ command: [String], files: [SandboxFile], limits: SandboxLimits) throws -> (String, [String]) {
        guard !command.isEmpty else { throw FactoryError.invalidArgument(name: "sandbox command", message: "is empty") }
        var fileArguments: [String] = []
        var totalBytes = 0
        for file in files {
            try file.validate(limits: limits)
            totalBytes += file.contents.utf8.count
            for piece in file.pieces { fileArguments += [file.name, piece] }
        }
        guard totalBytes <= SandboxFile.maximumTotalBytes else {
            throw FactoryError.invalidArgument(
                name: "sandbox files", message: "\(totalBytes) bytes in all, more than the \(SandboxFile.maximumTotalBytes) a run may carry")
        }
        var arguments: [String] = [
            "--unshare-user", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
            "--disable-userns", "--die-with-parent", "--new-session", "--hostname", "sandbox",
            "--clearenv", "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", "/tmp", "--setenv", "TMPDIR", "/tmp",
            "--setenv", "LANG", "C.UTF-8",
        ]
        arguments += viewArguments
        arguments += [
            "--proc", "/proc", "--dev", "/dev", "--size", String(limits.tmpfsBytes), "--tmpfs", "/tmp",
            // The root and /dev are tmpfs mounts bwrap makes; read-only, they leave /tmp the only
            // writable place.
            "--remount-ro", "/dev", "--remount-ro", "/", "--chdir", "/tmp", "--",
            prlimit, "--cpu=\(limits.cpuSeconds):\(limits.cpuSeconds + 1)", "--as=\(limits.memoryBytes)",
            "--nproc=\(limits.processes)", "--fsize=\(limits.fileBytes)", "--nofile=\(limits.openFiles)", "--core=0", "--",
            // A child inherits its starter's blocked signals, and a thread of Dispatch or of the
            // test runner blocks nearly all: unblocked and reset to their defaults here, or a
            // blocked SIGXCPU would leave only the hard CPU limit's SIGKILL.
            "/usr/bin/env", "--default-signal", "/bin/sh", "-c", Self.wrapperScript, "sandbox",
        ]
        arguments += fileArguments + ["--"] + command
        guard let setpriv else { return (bubblewrap, arguments) }
        let id = String(Self.unprivilegedID)
        return (setpriv, ["--reuid=\(id)", "--regid=\(id)", "--clear-groups", "--", bubblewrap] + arguments)
    }
}
