import FactoryCore
import Foundation
import Testing

@testable import Evaluation

@Suite(.enabled(if: SandboxFixture.bubblewrapInstalled, SandboxFixture.skipReason))
struct SandboxedPythonRunnerTests {
    private let program = "def add(a, b):\n    return a + b"

    @Test func aCorrectProgramPassesAndAFailingAssertFails() throws {
        let runner = try SandboxFixture.runner()
        #expect(try runner.passes(program: program, test: "assert add(2, 3) == 5", entryPoint: nil) == .passed)
        let wrong = try runner.run(program: "def add(a, b):\n    return a - b", test: "assert add(2, 3) == 5", entryPoint: nil)
        #expect(CodeRunOutcome(wrong) == .failed)
        #expect(wrong.termination == .exited(1))
        #expect(SandboxFixture.text(wrong.standardError).hasSuffix("AssertionError\n"))
    }

    @Test func aSyntaxErrorFails() throws {
        let runner = try SandboxFixture.runner()
        let result = try runner.run(program: "def add(a, b)\n    return a + b", test: "assert add(2, 3) == 5", entryPoint: nil)
        #expect(CodeRunOutcome(result) == .failed)
        #expect(SandboxFixture.text(result.standardError).contains("SyntaxError"))
    }

    @Test func theEntryPointMustBeDefinedAndAHumanEvalCheckIsCalled() throws {
        let runner = try SandboxFixture.runner()
        let check = "def check(candidate):\n    assert candidate(2, 3) == 5"
        #expect(try runner.passes(program: program, test: check, entryPoint: "add") == .passed)
        #expect(try runner.passes(program: "def add(a, b):\n    return 0", test: check, entryPoint: "add") == .failed)
        // Without the entry point, a test that only defines `check` would pass vacuously.
        let missing = try runner.run(program: "def plus(a, b):\n    return a + b", test: check, entryPoint: "add")
        #expect(CodeRunOutcome(missing) == .failed)
        #expect(SandboxFixture.text(missing.standardError) == "entry point 'add' is not defined\n")
        #expect(try runner.passes(program: program, test: "assert add(1, 1) == 2", entryPoint: "add") == .passed)
        #expect(throws: FactoryError.invalidArgument(name: "entry_point", message: "'add()' is not a Python identifier")) {
            try runner.passes(program: program, test: "", entryPoint: "add()")
        }
    }

    @Test func theSourceIsTheProgramALineBreakAndTheTest() throws {
        #expect(try SandboxedPythonRunner.source(program: "a = 1", test: "assert a == 1", entryPoint: nil) == "a = 1\nassert a == 1")
        let runner = try SandboxFixture.runner()
        // No line break at the end of the program: the test still starts on a line of its own.
        #expect(try runner.passes(program: "a = 1", test: "assert a == 1", entryPoint: nil) == .passed)
    }

    @Test func aSourcePythonWouldRefuseUnreadFailsWithoutRunning() throws {
        let runner = try SandboxFixture.runner()
        #expect(try runner.passes(program: "a = 1\u{0}", test: "", entryPoint: nil) == .failed)
        let huge = String(repeating: "#\n", count: SandboxFile.maximumTotalBytes)
        #expect(try runner.passes(program: huge, test: "", entryPoint: nil) == .failed)
    }

    @Test func aCrashIsScoredAsACrash() throws {
        let runner = try SandboxFixture.runner()
        let result = try runner.run(program: "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)", test: "", entryPoint: nil)
        #expect(result.termination == .signaled(SIGSEGV))
        #expect(CodeRunOutcome(result) == .crashed)
    }
}
