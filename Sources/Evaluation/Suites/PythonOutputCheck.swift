import FactoryCore
import Foundation

/// Checks a Python documentation example's gold output by running its prompt in the bubblewrap
/// ``Sandbox``: an example is kept only when the statements of its prompt, run as an
/// interactive session would run them, print exactly the documented output.
///
/// The prompt's statements (each `>>>` line with its `...` continuations; the earlier outputs
/// shown in the prompt are not code) are compiled in `single` mode, as doctest and the
/// interpreter do, so an expression's value is echoed, and run one after another in one
/// namespace; an exception in an earlier statement is ignored (documentation shows tracebacks
/// on purpose), one in the last statement rejects the example. What the last statement prints
/// is compared with the documented output after stripping trailing whitespace (doctest compares
/// exactly, and the documented line was trimmed). An example that needs material outside its
/// prompt (a name defined further up the page, a file) fails in the sandbox and is rejected.
///
/// Runs are deterministic: `PYTHONHASHSEED=0` (string hashes, so set order, are the same each
/// run), `random` seeded with 0 before the prompt runs (an unseeded `random.choice` among a few
/// items would match the documented output in some builds and not others), no user site-packages, the sandbox's cleared environment, and limits short enough that
/// an example waiting on input or looping is cut off (``limits``).
struct PythonOutputCheck: Sendable {
    /// What running an example showed.
    enum Verdict: Equatable, Sendable {
        /// The prompt printed the documented output.
        case kept
        /// It printed something else.
        case wrongOutput
        /// The last statement raised, or the run was stopped (``SandboxResult/summary``).
        case failed
    }

    /// The sandbox and interpreter.
    let runner: SandboxedPythonRunner
    /// `env`, at a path the sandbox sees (it sets `PYTHONHASHSEED`).
    let env: String

    /// The limits of one run: examples are one-liners, so two CPU seconds is plenty; the wall
    /// clock (which catches a prompt blocked on input or sleeping) is looser, so that a loaded
    /// machine does not turn a kept example into a rejected one.
    static let limits = SandboxLimits(cpuSeconds: 2, wallSeconds: 5, memoryBytes: 1 << 30, processes: 16)

    /// The session driver's and the statements' file names in the sandbox's `/tmp`.
    static let driverFile = "session.py"
    static let statementsFile = "statements.json"

    /// The driver: reads the statements, runs them in order, prints only the last one's output.
    static let driver = """
        import contextlib, io, json, random, sys
        random.seed(0)
        statements = json.load(open("\(statementsFile)", encoding="utf-8"))
        scope = {"__name__": "__main__"}
        for index, source in enumerate(statements):
            last = index == len(statements) - 1
            buffer = io.StringIO()
            try:
                with contextlib.redirect_stdout(buffer):
                    exec(compile(source + "\\n", "<example>", "single"), scope)
            except BaseException:
                if last:
                    sys.exit(1)
                continue
            if last:
                sys.stdout.write(buffer.getvalue())

        """

    /// The check with `Sandbox.locate(searchPath:)` and the `python3` of `searchPath`.
    ///
    /// - Throws: `FactoryError.missingDependency` naming the bubblewrap sandbox and what it
    ///   lacks: these tasks never keep a gold output the sandbox has not reproduced.
    static func locate(searchPath: String? = nil) throws -> PythonOutputCheck {
        do {
            let runner = try SandboxedPythonRunner(sandbox: try Sandbox.locate(searchPath: searchPath), limits: limits, searchPath: searchPath)
            guard let env = ChildProcess.locate("env", searchPath: Sandbox.visibleFolders(of: searchPath)) else {
                throw FactoryError.missingDependency(name: "env", hint: "install coreutils; it must lie under /usr or /bin, which the sandbox sees")
            }
            return PythonOutputCheck(runner: runner, env: env)
        } catch let error as FactoryError {
            throw FactoryError.missingDependency(
                name: "the bubblewrap sandbox",
                hint: "python-output-exact and python-output-choice keep only examples whose output the sandbox reproduces, "
                    + "and it cannot run here (\(error)); run `make setup`, or leave `code` out of `suites` in tasks.toml")
        }
    }

    /// The statements of a prompt: each `>>> ` line with its `... ` continuations, prompts removed;
    /// other lines (outputs shown in the prompt) are dropped.
    static func statements(of prompt: String) -> [String] {
        var statements = [String]()
        for line in prompt.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(">>> ") {
                statements.append(String(line.dropFirst(4)))
            } else if !statements.isEmpty, line.hasPrefix("... ") || line == "..." {
                statements[statements.count - 1] += "\n" + line.dropFirst(4)
            }
        }
        return statements
    }

    /// Runs `prompt`'s statements and compares what the last prints with `output`.
    ///
    /// - Throws: `FactoryError.io` when the sandbox could not start.
    func verdict(prompt: String, output: String) throws -> Verdict {
        let json: Data
        do {
            json = try JSONEncoder().encode(Self.statements(of: prompt))
        } catch {
            throw FactoryError.invalidArgument(name: "example", message: "cannot be written as JSON: \(error)")
        }
        let result = try runner.sandbox.run(
            [env, "PYTHONHASHSEED=0", runner.python, "-s", Self.driverFile],
            files: [
                SandboxFile(name: Self.driverFile, contents: Self.driver),
                SandboxFile(name: Self.statementsFile, contents: String(decoding: json, as: UTF8.self)),
            ],
            limits: runner.limits)
        guard result.succeeded else { return .failed }
        let printed = String(decoding: result.standardOutput, as: UTF8.self)
        return String(printed.reversed().drop(while: \.isWhitespace).reversed()) == output ? .kept : .wrongOutput
    }
}
