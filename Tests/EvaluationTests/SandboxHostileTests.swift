import FactoryCore
import Foundation
import Testing

@testable import Evaluation

#if canImport(Glibc)
    import Glibc
#endif

/// Programs that try to hurt the machine: each is contained, scored as something other than a
/// pass, and leaves nothing behind. Each is written so that it would pass if it got its way.
@Suite(.enabled(if: SandboxFixture.bubblewrapInstalled, SandboxFixture.skipReason))
struct SandboxHostileTests {
    @Test func aForkBombMeetsTheProcessLimitThenTheWallClockAndLeavesNoProcess() throws {
        let limits = SandboxLimits(cpuSeconds: 2, wallSeconds: 3, processes: 16)
        let runner = try SandboxFixture.runner(limits)
        let marker = "fork-bomb-\(UUID().uuidString)"
        // Re-executed with the marker on its command line, which every fork inherits; each
        // process forks without end, resting a little when refused.
        let program = """
            import os, sys, time
            if "\(marker)" not in sys.argv:
                os.execv(sys.executable, [sys.executable, "-I", "main.py", "\(marker)"])
            original, forks, told = os.getpid(), 0, False
            while True:
                try:
                    if os.fork() > 0:
                        forks += 1
                except OSError as error:
                    if os.getpid() == original and not told:
                        print(f"refused after {forks} forks: {error.strerror}", flush=True)
                        told = True
                    time.sleep(0.1)
            """
        let result = try runner.run(program: program, test: "", entryPoint: nil)
        #expect(CodeRunOutcome(result) == .timedOut)
        #expect(result.timedOut)
        let output = SandboxFixture.text(result.standardOutput)
        #expect(output.hasPrefix("refused after "))
        #expect(output.hasSuffix(" forks: Resource temporarily unavailable\n"))
        let forks = Int(output.split(separator: " ").dropFirst(2).first ?? "") ?? -1
        #expect((1..<limits.processes).contains(forks))
        #expect(SandboxFixture.processes(withMarker: marker).isEmpty)
    }

    @Test func processesLeftBehindDieWithTheProgram() throws {
        let runner = try SandboxFixture.runner()
        let marker = "orphan-\(UUID().uuidString)"
        // A daemon (a new session, its parent gone) that would sleep for an hour; the program
        // waits until it runs, then exits with success.
        let program = """
            import os, sys, time
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    os.execv(sys.executable, [sys.executable, "-I", "-c", "import time; time.sleep(3600)", "\(marker)"])
                os._exit(0)
            def running():
                for entry in os.listdir("/proc"):
                    try:
                        if entry.isdigit() and "\(marker)" in open(f"/proc/{entry}/cmdline").read():
                            return True
                    except OSError:
                        pass
                return False
            while not running():
                time.sleep(0.01)
            print("daemon running")
            """
        let result = try runner.run(program: program, test: "", entryPoint: nil)
        #expect(CodeRunOutcome(result) == .passed)
        #expect(SandboxFixture.text(result.standardOutput) == "daemon running\n")
        #expect(SandboxFixture.processes(withMarker: marker).isEmpty)
    }

    @Test func aBusyLoopMeetsTheCPULimit() throws {
        // A wall clock far beyond the CPU limit, so that the CPU limit is what stops it.
        let runner = try SandboxFixture.runner(SandboxLimits(cpuSeconds: 1, wallSeconds: 300))
        let result = try runner.run(program: "while True:\n    pass", test: "", entryPoint: nil)
        #expect(result.termination == .signaled(SIGXCPU))
        #expect(result.exceededCPUTime && !result.timedOut)
        #expect(CodeRunOutcome(result) == .timedOut)
    }

    @Test func aSleepingLoopMeetsTheWallClock() throws {
        let runner = try SandboxFixture.runner(SandboxLimits(cpuSeconds: 60, wallSeconds: 1))
        let result = try runner.run(program: "import time\nwhile True:\n    time.sleep(0.1)", test: "", entryPoint: nil)
        #expect(result.timedOut)
        #expect(result.termination == .signaled(SIGKILL))
        #expect(CodeRunOutcome(result) == .timedOut)
    }

    @Test func aMemoryHogMeetsTheAddressSpaceLimit() throws {
        let runner = try SandboxFixture.runner(SandboxLimits(cpuSeconds: 10, wallSeconds: 60, memoryBytes: 256 << 20))
        let program = "blocks = []\nwhile True:\n    blocks.append(bytearray(16 << 20))"
        let result = try runner.run(program: program, test: "", entryPoint: nil)
        #expect(result.termination == .exited(1))
        #expect(SandboxFixture.text(result.standardError).hasSuffix("MemoryError\n"))
        #expect(CodeRunOutcome(result) == .failed)
    }

    @Test func writesOutsideTheTmpfsFailAndLeaveNoFile() throws {
        let hostFolder = NSTemporaryDirectory() + "factory-sandbox-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: hostFolder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: hostFolder) }
        let hostFile = hostFolder + "/escaped.txt"
        let runner = try SandboxFixture.runner()
        let program = """
            written = []
            for path in ["\(hostFile)", "/usr/escaped.txt", "/escaped.txt", "/etc/escaped.txt", "/proc/escaped.txt"]:
                try:
                    with open(path, "w") as f:
                        f.write("escaped")
                    written.append(path)
                except OSError as error:
                    print(type(error).__name__)
            assert written, "nothing written outside /tmp"
            """
        let result = try runner.run(program: program, test: "", entryPoint: nil)
        #expect(CodeRunOutcome(result) == .failed)
        #expect(
            SandboxFixture.text(result.standardOutput)
                == "FileNotFoundError\nOSError\nOSError\nOSError\nFileNotFoundError\n")
        #expect(SandboxFixture.text(result.standardError).hasSuffix("AssertionError: nothing written outside /tmp\n"))
        #expect(!FileManager.default.fileExists(atPath: hostFile))
        #expect(try FileManager.default.contentsOfDirectory(atPath: hostFolder).isEmpty)
    }

    @Test func aFileOverTheSizeLimitAndATmpfsOverflowFail() throws {
        let runner = try SandboxFixture.runner(SandboxLimits(cpuSeconds: 10, wallSeconds: 60, fileBytes: 1 << 20, tmpfsBytes: 4 << 20))
        let tooLarge = try runner.run(program: "open('big', 'wb').write(b'x' * (2 << 20))", test: "", entryPoint: nil)
        #expect(CodeRunOutcome(tooLarge) == .failed)
        #expect(SandboxFixture.text(tooLarge.standardError).hasSuffix("OSError: [Errno 27] File too large\n"))
        let program = "for index in range(8):\n    open(f'part{index}', 'wb').write(b'x' * ((1 << 20) - 1))"
        let tooMany = try runner.run(program: program, test: "", entryPoint: nil)
        #expect(CodeRunOutcome(tooMany) == .failed)
        #expect(SandboxFixture.text(tooMany.standardError).contains("OSError: [Errno 28] No space left on device"))
    }

    @Test func endlessOutputIsCutAtTheLimitAndStopsTheRun() throws {
        let limits = SandboxLimits(outputBytes: 65_536)
        let runner = try SandboxFixture.runner(limits)
        let result = try runner.run(program: "while True:\n    print('x' * 1000)", test: "", entryPoint: nil)
        #expect(result.outputTruncated && !result.timedOut)
        let line = Data((String(repeating: "x", count: 1000) + "\n").utf8)
        #expect(result.standardOutput == Data((0..<66).flatMap { _ in line }).prefix(limits.outputBytes))
        #expect(CodeRunOutcome(result) == .crashed)
        let errors = try runner.run(
            program: "import sys\nwhile True:\n    sys.stderr.write('e' * 1000)", test: "", entryPoint: nil)
        #expect(errors.outputTruncated)
        #expect(errors.standardError == Data(repeating: UInt8(ascii: "e"), count: limits.outputBytes))
    }

    @Test func theNetworkIsUnreachableAndNamesDoNotResolve() throws {
        let listener = try LoopbackListener()
        defer { listener.close() }
        let runner = try SandboxFixture.runner()
        let connect = try runner.run(
            program: "import socket\nsocket.create_connection(('127.0.0.1', \(listener.port)), timeout=5).sendall(b'escaped')",
            test: "", entryPoint: nil)
        #expect(CodeRunOutcome(connect) == .failed)
        #expect(SandboxFixture.text(connect.standardError).hasSuffix("ConnectionRefusedError: [Errno 111] Connection refused\n"))
        #expect(!listener.hasPendingConnection())
        let resolve = try runner.run(program: "import socket\nsocket.getaddrinfo('deb.debian.org', 443)", test: "", entryPoint: nil)
        #expect(CodeRunOutcome(resolve) == .failed)
        #expect(SandboxFixture.text(resolve.standardError).contains("socket.gaierror"))
    }
}

/// A TCP listener on the host's loopback, on a port the system picks.
private struct LoopbackListener {
    let descriptor: Int32
    let port: UInt16

    init() throws {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else {
            throw FactoryError.io(path: "socket", operation: "open", reason: String(cString: strerror(errno)))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(socketDescriptor, generic, length) == 0 && listen(socketDescriptor, 8) == 0
                    && getsockname(socketDescriptor, generic, &length) == 0
            }
        }
        guard bound else {
            _ = Glibc.close(socketDescriptor)
            throw FactoryError.io(path: "127.0.0.1", operation: "listen", reason: String(cString: strerror(errno)))
        }
        descriptor = socketDescriptor
        port = UInt16(bigEndian: address.sin_port)
    }

    /// Whether a connection waits to be accepted (polled without waiting).
    func hasPendingConnection() -> Bool {
        var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&request, 1, 0) > 0
    }

    func close() { _ = Glibc.close(descriptor) }
}
