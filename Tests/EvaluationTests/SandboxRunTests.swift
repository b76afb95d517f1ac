import FactoryCore
import Foundation
import Synchronization
import Testing

@testable import Evaluation

/// What the sandbox tests share: the located sandbox and runner, and a look for processes.
enum SandboxFixture {
    /// Whether `bwrap` is on this machine (`make setup` installs it); without it the sandbox
    /// tests are skipped, with this said.
    static let bubblewrapInstalled = ChildProcess.locate("bwrap") != nil
    static let skipReason: Comment = "bwrap is not installed: run make setup (scripts/setup.sh installs bubblewrap)"

    /// The sandbox of this machine, located once.
    static let located = Result { try Sandbox.locate() }

    static func sandbox() throws -> Sandbox { try located.get() }

    /// A Python runner with `limits` (by default a short wall clock and CPU time).
    static func runner(_ limits: SandboxLimits = SandboxLimits(cpuSeconds: 2, wallSeconds: 30)) throws -> SandboxedPythonRunner {
        try SandboxedPythonRunner(sandbox: try sandbox(), limits: limits)
    }

    /// The ids of the host's processes whose command line contains `marker`. A process killed
    /// has released its memory, and with it its command line, before its output pipes close, so
    /// after a run returns none of the sandbox's processes can match.
    static func processes(withMarker marker: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry), let line = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            return String(decoding: line, as: UTF8.self).contains(marker) ? pid : nil
        }
    }

    static func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }
}

@Suite(.enabled(if: SandboxFixture.bubblewrapInstalled, SandboxFixture.skipReason))
struct SandboxRunTests {
    @Test func writesFilesRunsTheCommandAndReportsItsStreamsAndStatus() throws {
        let sandbox = try SandboxFixture.sandbox()
        // Over 64 KiB with multi-byte characters, and what a shell or printf might interpret:
        // the file travels in several pieces, byte for byte.
        let contents = String(repeating: "héllo wörld ✓ \\n %s %% -- -n $HOME `id` 'q' \"d\"\n", count: 3_000)
        let result = try sandbox.run(
            ["/bin/sh", "-c", "cat in.txt; echo to-errors >&2; exit 3"], files: [SandboxFile(name: "in.txt", contents: contents)],
            limits: SandboxLimits())
        #expect(result.termination == .exited(3))
        #expect(SandboxFixture.text(result.standardOutput) == contents)
        #expect(result.standardOutput.startIndex == 0)
        #expect(SandboxFixture.text(result.standardError) == "to-errors\n")
        #expect(!result.timedOut && !result.outputTruncated && !result.succeeded)
    }

    @Test func theEnvironmentIsClearedAndTheProcessesAreTheSandboxsOwn() throws {
        let runner = try SandboxFixture.runner()
        let program = """
            import os
            print(sorted(os.environ))
            print(os.getcwd(), os.getuid(), os.getpid())
            print(sorted(int(p) for p in os.listdir("/proc") if p.isdigit()))
            status = dict(line.split(":\t") for line in open("/proc/self/status").read().splitlines())
            print(status["CapEff"], status["SigBlk"])
            """
        let result = try runner.run(program: program, test: "", entryPoint: nil)
        #expect(result.succeeded)
        let lines = SandboxFixture.text(result.standardOutput).split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        // PWD is the wrapper shell's.
        #expect(lines.first == "['HOME', 'LANG', 'PATH', 'PWD', 'TMPDIR']")
        // Root is dropped to nobody; anyone else runs as themselves. bwrap's init is process 1,
        // the program process 2, and nothing of the host is visible.
        let uid = geteuid() == 0 ? Sandbox.unprivilegedID : Int(geteuid())
        #expect(lines.dropFirst().first == "/tmp \(uid) 2")
        #expect(lines.dropFirst(2).first == "[1, 2]")
        // No capabilities, and no signal blocked (this test runs on a thread that blocks most).
        #expect(lines.last == "0000000000000000 0000000000000000")
    }

    @Test func onlyTmpIsWritableAndOnlyLoopbackExists() throws {
        let runner = try SandboxFixture.runner()
        let program = """
            import os
            for path in ["/tmp/ok.txt", "/usr/x", "/x", "/etc/x", "/dev/x", "/dev/shm/x"]:
                try:
                    with open(path, "w") as f:
                        f.write("x")
                    print(path, "written")
                except OSError as error:
                    print(path, error.strerror)
            print([line.split(":")[0].strip() for line in open("/proc/net/dev").read().splitlines()[2:]])
            """
        let result = try runner.run(program: program, test: "", entryPoint: nil)
        #expect(result.succeeded)
        #expect(
            SandboxFixture.text(result.standardOutput)
                == """
                /tmp/ok.txt written
                /usr/x Read-only file system
                /x Read-only file system
                /etc/x Read-only file system
                /dev/x Read-only file system
                /dev/shm/x Read-only file system
                ['lo']

                """)
    }

    @Test func refusesBadFilesCommandsAndLimitsBeforeStartingAnything() throws {
        let sandbox = try SandboxFixture.sandbox()
        #expect(throws: FactoryError.invalidArgument(name: "sandbox command", message: "is empty")) {
            try sandbox.run([], limits: SandboxLimits())
        }
        #expect(throws: FactoryError.invalidArgument(name: "sandbox file in", message: "contains a NUL character")) {
            try sandbox.run(["/bin/true"], files: [SandboxFile(name: "in", contents: "a\u{0}b")], limits: SandboxLimits())
        }
        #expect(
            throws: FactoryError.invalidArgument(
                name: "sandbox file name '../x'", message: "use letters, digits, '.', '_' and '-', not starting with '.' or '-'")
        ) {
            try sandbox.run(["/bin/true"], files: [SandboxFile(name: "../x", contents: "")], limits: SandboxLimits())
        }
        #expect(
            throws: FactoryError.invalidArgument(
                name: "sandbox file big", message: "5000 bytes is more than the file-size limit of 4096 bytes")
        ) {
            try sandbox.run(
                ["/bin/true"], files: [SandboxFile(name: "big", contents: String(repeating: "x", count: 5_000))],
                limits: SandboxLimits(fileBytes: 4_096))
        }
        let twoMiB = String(repeating: "x", count: 1 << 20)
        #expect(
            throws: FactoryError.invalidArgument(
                name: "sandbox files", message: "2097152 bytes in all, more than the 1048576 a run may carry")
        ) {
            try sandbox.run(
                ["/bin/true"], files: [SandboxFile(name: "a", contents: twoMiB), SandboxFile(name: "b", contents: twoMiB)],
                limits: SandboxLimits())
        }
        #expect(
            throws: FactoryError.invalidArgument(name: "sandbox limit processes", message: "must be between 4 and 4096, got 0")
        ) {
            try sandbox.run(["/bin/true"], limits: SandboxLimits(processes: 0))
        }
    }

    @Test func severalSandboxesAtOnceEachKeepTheirOwnOutputAndVerdict() throws {
        let runner = try SandboxFixture.runner()
        let count = 8
        let outcomes = Mutex([Int: (CodeRunOutcome, String)]())
        let failures = Mutex([String]())
        DispatchQueue.concurrentPerform(iterations: count) { index in
            do {
                let program = "print(\(index))\nvalue = sum(range(\(index)))"
                let test = index % 2 == 0 ? "assert value == \(index * (index - 1) / 2)" : "assert value == -1"
                let result = try runner.run(program: program, test: test, entryPoint: nil)
                outcomes.withLock { $0[index] = (CodeRunOutcome(result), SandboxFixture.text(result.standardOutput)) }
            } catch {
                failures.withLock { $0.append("\(index): \(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        let seen = outcomes.withLock { $0 }
        for index in 0..<count {
            #expect(seen[index]?.0 == (index % 2 == 0 ? .passed : .failed))
            #expect(seen[index]?.1 == "\(index)\n")
        }
    }
}
