import FactoryCore
import Foundation
import Lineage

/// Executes a pipeline as a DAG, memoizing every stage on its ``StageIdentity``.
///
/// A stage runs when no finished run in the lineage store has its identity and an intact output
/// folder. Each run of a stage is recorded as a `pipeline-stage` run that used its inputs' output
/// manifests and produced its own; the commands a stage runs record their own runs beneath it.
/// A failing stage blocks the stages that read from it and lets the others go on; everything
/// finished stays finished, so the next run resumes where this one stopped.
public struct PipelineRunner: Sendable {
    /// The run kind of stage records.
    public static let runKind = "pipeline-stage"

    /// How one stage went.
    public struct StageResult: Sendable {
        /// The stage.
        public let stage: StageDefinition
        /// What was decided before it ran (after its inputs were settled).
        public let decision: StageDecision
        /// Its output when it finished or was skipped.
        public let output: StageOutput?
        /// The error when it failed.
        public let failure: String?
        /// Seconds it ran (0 when skipped).
        public let seconds: Double
    }

    /// The pipeline.
    public let pipeline: PipelineDefinition
    /// The lineage store that memoizes stages.
    public let store: FactoryStore
    /// The `factory` executable stages run.
    public let factory: String
    /// Whether command output is echoed to standard output.
    public let echo: Bool
    /// The digest of the code that runs the stages (see ``codeDigest(ofExecutable:)``); part of
    /// every stage's identity, so a stage made by other code runs again.
    public let code: Digest
    /// Whether a finished stage made by other code is reused when everything else about it is
    /// the same (for users who know a code change cannot matter to their outputs).
    public let reuseAcrossVersions: Bool
    /// Interrupt handling shared with the running commands.
    public let interrupts: InterruptMonitor

    /// A runner for `pipeline` recording into `store`; `factory` is the executable its stages
    /// run and `code` the digest of the code they run.
    public init(
        pipeline: PipelineDefinition, store: FactoryStore, factory: String, code: Digest, reuseAcrossVersions: Bool = false,
        echo: Bool = true, interrupts: InterruptMonitor = InterruptMonitor()
    ) {
        self.pipeline = pipeline
        self.store = store
        self.factory = factory
        self.code = code
        self.reuseAcrossVersions = reuseAcrossVersions
        self.echo = echo
        self.interrupts = interrupts
    }

    /// The code digest of stages run by the `factory` executable at `path`: the digest of its
    /// bytes, so any rebuild from changed sources changes every stage's identity.
    public static func codeDigest(ofExecutable path: String) throws -> Digest {
        try Digest.ofFile(atPath: path)
    }

    /// The workspace as an absolute path.
    public var workspace: String { FilePath.absolute(pipeline.workspace) }

    /// What a run would do now, stage by stage, without running anything.
    public func plan() throws -> [(stage: StageDefinition, decision: StageDecision)] {
        var outputs = [String: StageOutput]()
        var unsettled = Set<String>()
        var plan = [(stage: StageDefinition, decision: StageDecision)]()
        for stage in pipeline.stages {
            let decision = try decide(stage, outputs: outputs, unsettled: unsettled)
            if let output = decision.reusedOutput { outputs[stage.name] = output } else { unsettled.insert(stage.name) }
            plan.append((stage, decision))
        }
        return plan
    }

    /// Runs every stage that needs to, in order; `report` is told about each stage as it starts
    /// and as it ends. Stops at an interrupt.
    public func run(report: (StageEvent) -> Void) throws -> [StageResult] {
        for abandoned in try endAbandonedRuns() { report(.abandoned(run: abandoned)) }
        var outputs = [String: StageOutput]()
        var results = [StageResult]()
        for (position, stage) in pipeline.stages.enumerated() {
            let decision: StageDecision
            if let failed = stage.inputs.values.sorted().first(where: { outputs[$0] == nil }) {
                decision = .blocked(input: failed)
            } else {
                decision = try decide(stage, outputs: outputs, unsettled: [])
            }
            report(.decided(stage: stage, position: position + 1, count: pipeline.stages.count, decision: decision))
            switch decision {
            case .skip(let output), .reuse(let output, _):
                outputs[stage.name] = output
                results.append(StageResult(stage: stage, decision: decision, output: output, failure: nil, seconds: 0))
            case .blocked, .pending:
                results.append(StageResult(stage: stage, decision: decision, output: nil, failure: nil, seconds: 0))
            case .run(let identity, _):
                let started = ProgressReporter.monotonicSeconds()
                do {
                    let output = try execute(stage, identity: identity, inputs: outputs)
                    outputs[stage.name] = output
                    let seconds = ProgressReporter.monotonicSeconds() - started
                    results.append(StageResult(stage: stage, decision: decision, output: output, failure: nil, seconds: seconds))
                    report(.finished(stage: stage, output: output, seconds: seconds))
                } catch {
                    let seconds = ProgressReporter.monotonicSeconds() - started
                    let message = (error as? StageFailure)?.message ?? "\(error)"
                    results.append(StageResult(stage: stage, decision: decision, output: nil, failure: message, seconds: seconds))
                    report(.failed(stage: stage, message: message, seconds: seconds))
                    if interrupts.interrupted { return results }
                }
            }
        }
        return results
    }

    /// Ends as `killed` the stage runs of this pipeline still marked running whose runner process
    /// on this host is gone (killed with SIGKILL, or the machine went down), and returns them.
    func endAbandonedRuns() throws -> [RunRecord] {
        let running = try store.records.runs(RunQuery(kind: Self.runKind, status: .running, tag: "pipeline:\(pipeline.name)"))
        var ended = [RunRecord]()
        for run in running where run.provenance.host == HostInfo.hostName {
            guard case .table(let config) = run.config.value, case .integer(let pid)? = config["runner_pid"],
                kill(pid_t(pid), 0) != 0, errno == ESRCH
            else { continue }
            try store.records.endRun(run.id, status: .killed, at: Date())
            ended.append(run)
        }
        return ended
    }

    /// Decides one stage given the outputs settled so far (`unsettled`: stages that will run).
    func decide(_ stage: StageDefinition, outputs: [String: StageOutput], unsettled: Set<String>) throws -> StageDecision {
        let waiting = stage.inputs.values.filter(unsettled.contains).sorted()
        guard waiting.isEmpty else { return .pending(inputs: waiting) }
        var files = [String: Digest]()
        for path in stage.stageKind.referencedFiles(settings: stage.settings) {
            guard FileManager.default.fileExists(atPath: path) else {
                throw FactoryError.config(
                    file: pipeline.source, keyPath: "stages.\(stage.name)", line: nil, message: "names \(path), which does not exist")
            }
            files[path] = try Digest.ofFile(atPath: path)
        }
        let identity = try StageIdentity(
            kind: stage.kind, settings: stage.settings, files: files, inputs: stage.inputs.mapValues { outputs[$0]!.digest },
            code: code, source: pipeline.source, keyPrefix: "stages.\(stage.name)")
        let identityTag = reuseAcrossVersions ? "content:\(identity.contentDigest.hex)" : "identity:\(identity.digest.hex)"
        let sameIdentity = try store.records.runs(RunQuery(kind: Self.runKind, status: .finished, tag: identityTag))
        for previous in sameIdentity.reversed() {
            guard let output = try intactOutput(of: previous) else { continue }
            let recorded = Self.identity(of: previous)?.code
            return recorded == code ? .skip(try canonical(output)) : .reuse(try canonical(output), recorded: recorded)
        }
        if !sameIdentity.isEmpty {
            return .run(identity: identity, reasons: ["its output folder is missing or was changed since it finished"])
        }
        let earlier = try store.records.runs(RunQuery(kind: Self.runKind, status: .finished, tag: stageTag(stage)))
        guard let last = earlier.last, let lastIdentity = Self.identity(of: last) else {
            return .run(identity: identity, reasons: ["never run"])
        }
        let reasons = identity.differences(from: lastIdentity)
        return .run(identity: identity, reasons: reasons.isEmpty ? ["never run"] : reasons)
    }

    /// The identity a stage run recorded.
    static func identity(of run: RunRecord) -> StageIdentity? {
        guard case .table(let config) = run.config.value else { return nil }
        return config["identity"].flatMap(StageIdentity.init(value:))
    }

    /// The output a finished stage run recorded, if its folder still holds exactly that.
    private func intactOutput(of run: RunRecord) throws -> StageOutput? {
        guard case .table(let config) = run.config.value, case .string(let folder)? = config["output"],
            let edge = try store.records.edges(ofRun: run.id).first(where: { $0.direction == .output })
        else { return nil }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue,
            let manifest = try? FolderDigest.manifest(of: folder),
            manifest.digest == edge.artifact
        else { return nil }
        return StageOutput(folder: folder, digest: edge.artifact, runID: run.id)
    }

    /// `output`, or the same content in the oldest intact folder that a finished stage run
    /// produced it in. Stages that read it then see the same path whenever its content is the
    /// same, so a downstream stage with an unchanged identity finds its own folder (and its
    /// commands' resumable state) consistent with its inputs' paths.
    private func canonical(_ output: StageOutput) throws -> StageOutput {
        let producers = try store.records.runs(producing: output.digest)
            .filter { $0.kind == Self.runKind && $0.status == .finished }
        for producer in producers {
            if producer.id == output.runID { return output }
            if let earlier = try intactOutput(of: producer) { return earlier }
        }
        return output
    }

    /// Runs one stage into its output folder and records it.
    private func execute(_ stage: StageDefinition, identity: StageIdentity, inputs outputs: [String: StageOutput]) throws -> StageOutput {
        let hex = identity.digest.hex
        let folder = "\(workspace)/\(stage.name)/\(hex.prefix(16))"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw FactoryError.io(path: folder, operation: "create the stage folder", reason: FoundationErrorText.reason(error))
        }
        let log = try StageLog(path: "\(workspace)/logs/\(stage.name)-\(hex.prefix(16)).log", echo: echo, interrupts: interrupts)
        let config = try RunConfig(
            value: .table([
                "pipeline": .string(pipeline.name), "stage": .string(stage.name), "identity": identity.value, "output": .string(folder),
                "runner_pid": .integer(Int(getpid())),
            ]))
        let run = try store.startRun(
            kind: Self.runKind, name: "\(pipeline.name)/\(stage.name)", config: config,
            tags: ["pipeline:\(pipeline.name)", stageTag(stage), "identity:\(hex)", "content:\(identity.contentDigest.hex)"])
        do {
            for role in stage.inputs.keys.sorted() {
                try store.records.link(LineageEdge(runID: run.id, artifact: outputs[stage.inputs[role]!]!.digest, direction: .input, role: role))
            }
            let context = StageContext(
                stage: stage, output: folder, inputs: stage.inputs.mapValues { outputs[$0]!.folder },
                inputRuns: stage.inputs.mapValues { outputs[$0]!.runID }, factory: factory,
                store: store.root, log: log)
            try stage.stageKind.execute(context)
            if interrupts.interrupted { throw StageFailure(message: "interrupted", interrupted: true) }
            let manifest = try FolderDigest.manifest(of: folder)
            let artifact = try store.addArtifact(
                bytes: Array(manifest.canonicalText.utf8), kind: "stage-output", name: "\(pipeline.name)/\(stage.name)",
                metadata: .table([
                    "root": .string(folder), "files": .integer(manifest.entries.count), "bytes": .integer(Int(manifest.totalSize)),
                ]))
            try store.records.link(LineageEdge(runID: run.id, artifact: artifact.digest, direction: .output, role: "output"))
            try store.records.endRun(run.id, status: .finished, at: Date())
            return try canonical(StageOutput(folder: folder, digest: artifact.digest, runID: run.id))
        } catch {
            let interrupted = (error as? StageFailure)?.interrupted ?? interrupts.interrupted
            log.note("stage \(stage.name) \(interrupted ? "interrupted" : "failed"): \(error)")
            try? store.records.endRun(run.id, status: interrupted ? .killed : .failed, at: Date())
            throw error
        }
    }

    private func stageTag(_ stage: StageDefinition) -> String { "stage:\(pipeline.name)/\(stage.name)" }
}

/// What the runner tells its caller as it goes.
public enum StageEvent: Sendable {
    /// A stage's decision, before it runs (`position` of `count`).
    case decided(stage: StageDefinition, position: Int, count: Int, decision: StageDecision)
    /// A stage finished.
    case finished(stage: StageDefinition, output: StageOutput, seconds: Double)
    /// A stage failed or was interrupted.
    case failed(stage: StageDefinition, message: String, seconds: Double)
    /// A stage run left `running` by a runner that no longer exists was ended as killed.
    case abandoned(run: RunRecord)
}
