import FactoryCore
import Foundation

/// What a stage kind works with: its definition, its output folder, the output folders of the
/// stages it reads from, and how to run `factory` commands into the same lineage store.
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
    /// The lineage store root (passed to every command as `--store`).
    public let store: String
    /// Where the stage's command output is appended (and echoed).
    public let log: StageLog

    /// The output folder of the input wired to `role`; the stage kind declared it required.
    public func input(_ role: String) -> String { inputs[role]! }

    /// The settings decoded for `kind`.
    func settings<Kind: DecodedSettingsStageKind>(for kind: Kind) throws -> Kind.Settings {
        try kind.decode(stage.settings, source: "[stages.\(stage.name)]")
    }

    /// Runs `factory ARGUMENTS --store STORE`, echoing its output into the log.
    ///
    /// - Throws: ``StageFailure`` when it exits non-zero or is interrupted.
    public func runFactory(_ arguments: [String], recordsLineage: Bool = true) throws {
        try log.run(executable: factory, arguments: arguments + (recordsLineage ? ["--store", store] : []))
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
