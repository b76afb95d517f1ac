import FactoryCore
import Foundation
import Testing

@testable import Evaluation

/// `Sandbox.locate` refuses, naming what is missing, rather than ever running a program
/// unsandboxed. The search path is injected: a folder with no `bwrap`, or a fake one.
@Suite struct SandboxLocateTests {
    /// A folder holding an executable `bwrap` shell script with `body`, removed by `remove()`.
    private struct FakeBubblewrap {
        let folder = NSTemporaryDirectory() + "factory-fake-bwrap-\(UUID().uuidString)"

        init(body: String?) throws {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            guard let body else { return }
            let path = folder + "/bwrap"
            try Data("#!/bin/sh\n\(body)\n".utf8).write(to: URL(fileURLWithPath: path))
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }

        /// The fake first, then the system folders (`prlimit`, `setpriv`).
        var searchPath: String { "\(folder):/usr/bin:/bin" }

        func remove() { try? FileManager.default.removeItem(atPath: folder) }
    }

    @Test func withoutBubblewrapItSaysToInstallIt() throws {
        let empty = try FakeBubblewrap(body: nil)
        defer { empty.remove() }
        #expect(throws: FactoryError.missingDependency(name: "bwrap", hint: "install bubblewrap (make setup)")) {
            try Sandbox.locate(searchPath: empty.folder)
        }
    }

    @Test func anOldBubblewrapIsRefusedWithItsVersion() throws {
        let fake = try FakeBubblewrap(body: "echo 'bubblewrap 0.6.1'")
        defer { fake.remove() }
        #expect(
            throws: FactoryError.missingDependency(
                name: "bubblewrap 0.8.0 or newer",
                hint: "\(fake.folder)/bwrap is version 0.6.1; the sandbox needs --disable-userns and --size; install a newer bubblewrap")
        ) {
            try Sandbox.locate(searchPath: fake.searchPath)
        }
    }

    @Test func aBubblewrapThatCannotCreateNamespacesIsReportedWithTheKernelSettings() throws {
        let said = "bwrap: No permissions to creating new namespace, likely because the kernel does not allow non-privileged user namespaces."
        let fake = try FakeBubblewrap(body: "[ \"$1\" = --version ] && { echo 'bubblewrap 0.8.0'; exit 0; }\necho '\(said)' >&2\nexit 1")
        defer { fake.remove() }
        do {
            _ = try Sandbox.locate(searchPath: fake.searchPath)
            Issue.record("a bwrap that cannot create a sandbox was accepted")
        } catch FactoryError.missingDependency(let name, let hint) {
            #expect(name == "user namespaces")
            #expect(hint.contains("\(fake.folder)/bwrap could not run a sandbox"))
            #expect(hint.contains(said))
            #expect(hint.contains("user.max_user_namespaces"))
            #expect(hint.contains("kernel.unprivileged_userns_clone"))
        }
    }

    @Test(.enabled(if: SandboxFixture.bubblewrapInstalled, SandboxFixture.skipReason))
    func prlimitIsLookedForOnlyWhereTheSandboxSeesIt() throws {
        // The real bwrap, linked from a folder outside /usr, is the only tool on the path.
        let folder = try FakeBubblewrap(body: nil)
        defer { folder.remove() }
        try FileManager.default.createSymbolicLink(atPath: folder.folder + "/bwrap", withDestinationPath: ChildProcess.locate("bwrap")!)
        try FileManager.default.createSymbolicLink(atPath: folder.folder + "/prlimit", withDestinationPath: ChildProcess.locate("prlimit")!)
        #expect(
            throws: FactoryError.missingDependency(
                name: "prlimit", hint: "install util-linux (make setup); it must lie under /usr or /bin, which the sandbox sees")
        ) {
            try Sandbox.locate(searchPath: folder.folder)
        }
    }

    @Test(.enabled(if: SandboxFixture.bubblewrapInstalled, SandboxFixture.skipReason))
    func onThisMachineItFindsAWorkingSandboxAndPython() throws {
        let sandbox = try SandboxFixture.sandbox()
        #expect(!sandbox.version.isEmpty)
        let runner = try SandboxFixture.runner()
        #expect(runner.python.hasPrefix("/usr/") || runner.python.hasPrefix("/bin/"))
        #expect(runner.pythonVersion.hasPrefix("3."))
    }

    @Test func onlyFoldersTheSandboxSeesAreSearchedForPython() {
        #expect(Sandbox.visibleFolders(of: "/root/.pyenv/shims:/usr/local/bin:/opt/x/bin:/usr/bin:/bin") == "/usr/local/bin:/usr/bin:/bin")
    }
}
