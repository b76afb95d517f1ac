import Execution
import FactoryCore
import Foundation
import Lineage

/// What a stage kind works with: its definition, its output folder, the output folders of the
/// stages it reads from, the lineage store its steps record into, and how to run training as a
/// `factory train` process.
public struct StageContext: Sendable {
    /// The stage being run.
    public let stage: StageDefinition
    /// Its output folder (absolute; created before the stage runs; may hold the files of an
    /// attempt that failed or was interrupted, which commands overwrite or resume from).
    public let output: String
    /// The output folder of each input stage, by role (absolute).
    public let inputs: [String: String]
    /// The `pipeline-stage` run that produced each input, by role.
    public let inputRuns: [String: String]
    /// The `factory` executable.
    public let factory: String
    /// The lineage store root (the steps record into it; passed to processes as `--store`).
    public let store: String
    /// Where the stage's notes and its processes' output are appended (and echoed).
    public let log: StageLog

    /// The output folder of the input wired to `role`; the stage kind declared it required.
    public func input(_ role: String) -> String { inputs[role]! }

    /// The settings decoded for `kind`.
    func settings<Kind: DecodedSettingsStageKind>(for kind: Kind) throws -> Kind.Settings {
        try kind.decode(stage.settings, at: stage.location)
    }

    /// The lineage store, for the steps a stage runs in this process.
    public func openStore() throws -> FactoryStore {
        try FactoryStore.open(root: store)
    }

    /// Runs `factory train` as `invocation` says, recording into this stage's store, its output
    /// appended to the log (and echoed).
    ///
    /// - Throws: ``StageFailure`` when it exits non-zero or is interrupted.
    public func runTraining(_ invocation: TrainInvocation) throws {
        var invocation = invocation
        invocation.store = store
        try log.run(executable: factory, arguments: invocation.arguments)
    }

    /// Writes `text` into the output folder atomically.
    public func writeOutput(_ relativePath: String, _ text: String) throws {
        try AtomicFile.write(Data(text.utf8), toPath: output + "/" + relativePath)
    }
}

/// A stage that did not finish.
public struct StageFailure: Error, CustomStringConvertible, Sendable {
    /// What happened.
    public let message: String
    /// Whether it was stopped by an interrupt (Ctrl-C or SIGTERM) rather than failing.
    public let interrupted: Bool

    public var description: String { message }
}
