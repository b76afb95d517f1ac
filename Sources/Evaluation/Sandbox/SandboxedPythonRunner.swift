import FactoryCore

/// Runs a program and its test with Python 3 in a ``Sandbox``: the program, a line break and
/// the test are written to `/tmp/main.py` and run as `python3 -I main.py` (isolated: no
/// `PYTHON*` variables, no user site-packages, not the script's folder on `sys.path`); exit
/// status 0 passes.
///
/// With an entry point, the program must define it: after the test, the runner fails the run
/// unless a callable of that name exists, and calls `check(entry_point)` when the test defines a
/// callable `check` (the HumanEval convention, where the test only defines `check`).
public struct SandboxedPythonRunner: CodeRunner {
    /// The sandbox each run gets a fresh instance of.
    public let sandbox: Sandbox
    /// The limits of each run.
    public let limits: SandboxLimits
    /// The interpreter, at a path the sandbox sees.
    public let python: String
    /// Its version (`3.11.2`), as it reported it from inside the sandbox.
    public let pythonVersion: String

    /// The name of the program file in the sandbox's `/tmp`.
    public static let programFile = "main.py"

    /// A runner with `python3` found in the folders of `searchPath` (default `PATH`) that the
    /// sandbox sees, checked by asking it its version inside the sandbox.
    ///
    /// - Throws: `FactoryError.invalidArgument` for limits out of range;
    ///   `FactoryError.missingDependency` when there is no `python3` under `/usr` or `/bin`, or
    ///   it does not run in the sandbox.
    public init(sandbox: Sandbox, limits: SandboxLimits = SandboxLimits(), searchPath: String? = nil) throws {
        try limits.validate { key, message in .invalidArgument(name: "sandbox limit \(key)", message: message) }
        guard let python = ChildProcess.locate("python3", searchPath: Sandbox.visibleFolders(of: searchPath)) else {
            throw FactoryError.missingDependency(
                name: "python3", hint: "install python3 (make setup); it must lie under /usr or /bin, which the sandbox sees")
        }
        let probe = try sandbox.run(
            [python, "-I", "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"], limits: limits)
        let version = String(decoding: probe.standardOutput, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard probe.succeeded, !version.isEmpty else {
            let said = String(decoding: probe.standardError, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw FactoryError.missingDependency(
                name: "python3", hint: "\(python) does not run in the sandbox: it \(probe.summary)\(said.isEmpty ? "" : ": \(said)")")
        }
        self.sandbox = sandbox
        self.limits = limits
        self.python = python
        self.pythonVersion = version
    }

    /// The runner with `Sandbox.locate()` and the `python3` of `PATH`.
    public static func locate(limits: SandboxLimits = SandboxLimits()) throws -> SandboxedPythonRunner {
        try SandboxedPythonRunner(sandbox: try Sandbox.locate(), limits: limits)
    }

    /// The source that runs: `program`, a line break, `test`, and the entry-point epilogue.
    ///
    /// - Throws: `FactoryError.invalidArgument` when `entryPoint` is not a Python identifier.
    public static func source(program: String, test: String, entryPoint: String?) throws -> String {
        let source = program + "\n" + test
        guard let entryPoint else { return source }
        guard entryPoint.wholeMatch(of: /[A-Za-z_][A-Za-z0-9_]*/) != nil else {
            throw FactoryError.invalidArgument(name: "entry_point", message: "'\(entryPoint)' is not a Python identifier")
        }
        return source + """

            if not callable(globals().get("\(entryPoint)")):
                raise SystemExit("entry point '\(entryPoint)' is not defined")
            if callable(globals().get("check")):
                check(\(entryPoint))

            """
    }

    /// Runs `program` and `test` (see ``source(program:test:entryPoint:)``) and returns how the
    /// run ended and what it printed.
    ///
    /// - Throws: `FactoryError.invalidArgument` for a bad entry point or a source the sandbox
    ///   cannot carry (a NUL character, more than ``SandboxFile/maximumTotalBytes`` or the file
    ///   limit); `FactoryError.io` when the sandbox could not start.
    public func run(program: String, test: String, entryPoint: String?) throws -> SandboxResult {
        try run(source: try Self.source(program: program, test: test, entryPoint: entryPoint))
    }

    /// Runs `program` and `test` and scores the run (``CodeRunOutcome/init(_:)``). A source
    /// Python would refuse unread (a NUL character) or too large for the sandbox is not run
    /// and fails.
    ///
    /// - Throws: `FactoryError.invalidArgument` for a bad entry point; `FactoryError.io` when
    ///   the sandbox could not start.
    public func passes(program: String, test: String, entryPoint: String?) throws -> CodeRunOutcome {
        let source = try Self.source(program: program, test: test, entryPoint: entryPoint)
        let bytes = source.utf8.count
        guard !source.utf8.contains(0), bytes <= SandboxFile.maximumTotalBytes, bytes <= limits.fileBytes else { return .failed }
        return CodeRunOutcome(try run(source: source))
    }

    private func run(source: String) throws -> SandboxResult {
        try sandbox.run([python, "-I", Self.programFile], files: [SandboxFile(name: Self.programFile, contents: source)], limits: limits)
    }
}
