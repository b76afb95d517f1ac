import FactoryCore
import Lineage

/// The finished output of a stage: its folder and the digest of its manifest.
public struct StageOutput: Sendable, Equatable {
    /// The output folder (absolute).
    public let folder: String
    /// The digest of the folder's ``DirectoryManifest`` (an artifact in the lineage store).
    public let digest: Digest
    /// The pipeline-stage run that produced it.
    public let runID: String
}

/// What the runner does with a stage, and why.
public enum StageDecision: Sendable, Equatable {
    /// A finished run with the same identity left this output, still intact on disk.
    case skip(StageOutput)
    /// A finished run identical but for its code (`recorded`, not this runner's) left this
    /// output, reused because the runner was asked to reuse outputs across versions.
    case reuse(StageOutput, recorded: Digest?)
    /// The stage runs, for these reasons (most specific first).
    case run(identity: StageIdentity, reasons: [String])
    /// The stage's identity is known only after these inputs are rebuilt (it runs unless they
    /// come out byte-identical to before).
    case pending(inputs: [String])
    /// An input failed or was not run, so the stage cannot run.
    case blocked(input: String)

    /// The output a finished run left, when the stage does not run.
    public var reusedOutput: StageOutput? {
        switch self {
        case .skip(let output), .reuse(let output, _): return output
        case .run, .pending, .blocked: return nil
        }
    }

    /// A short word for tables: `skip`, `run`, `run?`, `blocked`.
    public var action: String {
        switch self {
        case .skip, .reuse: return "skip"
        case .run: return "run"
        case .pending: return "run?"
        case .blocked: return "blocked"
        }
    }

    /// The reason in words.
    public var explanation: String {
        switch self {
        case .skip(let output): return "unchanged; finished by run \(output.runID)"
        case .reuse(let output, let recorded):
            let code = recorded.map { "factory executable \($0.hex.prefix(12))" } ?? "an unrecorded factory executable"
            return "reused across versions: finished by run \(output.runID) with \(code)"
        case .run(_, let reasons): return reasons.joined(separator: "; ")
        case .pending(let inputs): return "waits for \(inputs.joined(separator: ", ")); runs unless they come out byte-identical"
        case .blocked(let input): return "input stage \(input) did not finish"
        }
    }
}
