import Evaluation
import FactoryCore
import Models
import Tensors

/// The trainer: mixture batches, forward/backward, gradient accumulation and clipping, AdamW or
/// Muon under a learning-rate schedule, the MoE routing-bias update, periodic evaluation and
/// checkpoints, exact resume; data parallelism is a setting of it, not a second loop.
///
/// `settings.replicas` replicas (one by default) each run the one loop, `ReplicaTrainer`, as
/// threads of this process joined by `InProcessCollectives`: each holds its own model and
/// optimizer state and computes its share of every step's micro-batches, and with more than one
/// they check each other's weights and roll back on a mismatch (see `ReplicaTrainer`). Replica 0
/// runs on the calling thread and does the reporting; one replica is just that thread, with
/// nothing to exchange or compare.
///
/// Deterministic: the micro-batches of step s come from (seed, s), every kernel reduces in a fixed
/// order and the all-reduce sums in micro-batch order, so runs with the same settings produce
/// bitwise-identical weights whatever the thread count and the replica count (any that divides
/// `accumulation`), and a run resumed from a checkpoint ends equal to an uninterrupted one.
public struct Trainer {
    /// Loop and replication settings.
    public struct Settings: Sendable {
        public var steps: Int
        /// Sequences per micro-batch.
        public var batch: Int
        /// Tokens per sequence.
        public var time: Int
        /// Micro-batches per step (shared among the replicas).
        public var accumulation: Int = 1
        /// The global gradient-norm clip; `nil`: none.
        public var gradientClip: Double? = nil
        /// Steps with a non-finite loss or gradient norm that may be skipped (not applied, counted
        /// in `TrainerState.skippedSteps` and reported) before the run stops with
        /// `TrainingDivergence`; 0: the first stops it.
        public var skipNonfiniteSteps = 0
        /// The settings that exact resumption depends on, as dotted run-file key → value
        /// (`ResumptionSettings`): written into every checkpoint's `factory.json` and compared by
        /// `resume`.
        public var resumption = ResumptionSettings()
        /// Steps between checkpoints (with `Reporting.writesCheckpoints`); `nil`: only `final`.
        public var checkpointEvery: Int? = nil
        /// Steps between evaluations (with `Reporting.evaluator`), and the last; `nil`: none.
        public var evalEvery: Int? = nil
        /// Steps between training-metric records; the last step always records.
        public var logEvery: Int = 1
        /// The run folder: `checkpoints/step-NNNNNNN/` and `final/` go here.
        public var output: String
        public var seed: UInt64
        public var schedule: LearningRateSchedule
        public var adamW: AdamW.Settings
        /// When set, Muon for the hidden matrices and AdamW (`adamW`) for the other parameters.
        public var muon: Muon.Settings? = nil
        /// γ of the MoE routing-bias update after each step (`LagunaModel.updateCorrectionBiases`); 0 turns it off.
        public var expertBiasUpdateRate: Float = LagunaModel.defaultBiasUpdateRate
        /// Data-parallel replicas; must divide `accumulation`.
        public var replicas = 1
        /// With replicas, steps between fast integrity checks; `nil` for none (checkpoints are
        /// still checked).
        public var checkEvery: Int? = nil
        /// With replicas and Muon, whether each replica orthogonalizes only its share of the
        /// matrices (`MuonShards`) instead of all of them; the result is the same either way.
        public var shardMuon = true

        public init(steps: Int, batch: Int, time: Int, output: String, seed: UInt64, schedule: LearningRateSchedule, adamW: AdamW.Settings) {
            self.steps = steps
            self.batch = batch
            self.time = time
            self.output = output
            self.seed = seed
            self.schedule = schedule
            self.adamW = adamW
        }
    }

    /// Micro-batch `index` of the run (step s's micro-batches are `(s-1)·A ..< s·A`).
    public typealias MicroBatches = @Sendable (_ index: Int) throws -> (inputs: TokenBatch, targets: [Int32])

    /// The settings this trainer runs with.
    public let settings: Settings
    /// Each replica's model, in replica order (all the starting model until `run`).
    public private(set) var models: [LagunaModel]
    /// Each replica's step and optimizer state, in replica order.
    public private(set) var states: [TrainerState]
    /// Integrity faults found so far.
    public private(set) var faults: [IntegrityCheck.Fault] = []
    /// Replica 0's timings of the last `run`.
    public private(set) var timings = Timings()
    let microBatches: MicroBatches
    let injections: [FaultInjection]
    let reporting: Reporting
    let pool: ThreadPool

    /// `settings.replicas` copies of `model` at step 0, drawing micro-batches from `sampler`;
    /// `pool` serves each replica's kernels.
    public init(
        settings: Settings, model: LagunaModel, sampler: MixtureBatchSampler, reporting: Reporting = .init(),
        injections: [FaultInjection] = [], pool: ThreadPool = .machineWide
    ) throws {
        try self.init(settings: settings, model: model, reporting: reporting, injections: injections, pool: pool) { index in
            try sampler.batch(step: index, size: settings.batch, time: settings.time)
        }
    }

    /// As above, with micro-batch `index` of the run from `microBatches`.
    public init(
        settings: Settings, model: LagunaModel, reporting: Reporting = .init(), injections: [FaultInjection] = [],
        pool: ThreadPool = .machineWide, microBatches: @escaping MicroBatches
    ) throws {
        guard settings.replicas >= 1, settings.accumulation % settings.replicas == 0 else {
            throw FactoryError.invalidArgument(
                name: "replicas",
                message: "\(settings.replicas) replicas do not divide the \(settings.accumulation) micro-batches of a step")
        }
        if let every = settings.checkEvery, every < 1 {
            throw FactoryError.invalidArgument(name: "check every", message: "\(every) is not a positive step count")
        }
        let state = TrainerState(
            step: 0, seed: settings.seed,
            optimizer: try Optimizer(adamW: settings.adamW, muon: settings.muon, parameters: model.parameters))
        for injection in injections {
            try Self.validate(injection, replicas: settings.replicas, steps: settings.steps, model: model, state: state)
        }
        self.settings = settings
        models = Array(repeating: model, count: settings.replicas)
        states = Array(repeating: state, count: settings.replicas)
        self.microBatches = microBatches
        self.injections = injections
        self.reporting = reporting
        self.pool = pool
    }

    /// Checks that `injection` names a replica, a step and a tensor element of this run.
    public static func validate(
        _ injection: FaultInjection, replicas: Int, steps: Int, model: LagunaModel, state: TrainerState
    ) throws {
        guard (0..<replicas).contains(injection.replica) else {
            throw FactoryError.invalidArgument(
                name: "fault replica", message: "\(injection.replica) is not one of \(replicas) replicas (0 to \(replicas - 1))")
        }
        guard (1...max(steps, 1)).contains(injection.step) else {
            throw FactoryError.invalidArgument(name: "fault step", message: "\(injection.step) is not a step of this run (1 to \(steps))")
        }
        if injection.target == .optimizer {
            var probe = state.optimizer
            try injection.apply(to: &probe)
        } else {
            var probe = model.parameters
            try injection.apply(to: &probe)
        }
    }

    /// The step every replica has completed.
    public var currentStep: Int { states[0].step }

    /// Continues from a checkpoint folder (weights verified by digest): every replica starts there.
    ///
    /// The checkpoint's recorded `ResumptionSettings` must equal `settings.resumption` (an
    /// ``FactoryError/invalidArgument(name:message:)`` names each changed key with its old and
    /// new value) unless `allowingChanges`; the changes are returned, to be recorded.
    @discardableResult
    public mutating func resume(from checkpoint: String, allowingChanges: Bool = false) throws -> [ResumptionSettings.Change] {
        let (model, state, changes) = try Self.restore(
            from: checkpoint, config: models[0].config, settings: settings, allowingChanges: allowingChanges)
        models = Array(repeating: model, count: settings.replicas)
        states = Array(repeating: state, count: settings.replicas)
        return changes
    }

    /// Runs every replica to `settings.steps`, checking and rolling back as needed; returns the
    /// last training loss and the last verified evaluation.
    @discardableResult
    public mutating func run(progress: ProgressReporter? = nil) throws -> (loss: Double, evaluation: [String: DomainEvaluator.Result]) {
        let group = InProcessCollectives.group(size: settings.replicas)
        let (settings, models, states, microBatches, injections, pool) = (
            settings, self.models, self.states, self.microBatches, self.injections, self.pool
        )
        var reporting = self.reporting
        reporting.progress = progress
        let (root, others) = try ReplicaThreads.run(
            count: settings.replicas,
            root: {
                var replica = ReplicaTrainer(
                    settings: settings, collectives: group[0], model: models[0], state: states[0], microBatches: microBatches,
                    injections: injections, reporting: reporting, pool: pool)
                do {
                    let result = try replica.run()
                    return (replica, result)
                } catch {
                    group[0].abort()
                    throw error
                }
            },
            replica: { rank in
                var replica = ReplicaTrainer(
                    settings: settings, collectives: group[rank], model: models[rank], state: states[rank], microBatches: microBatches,
                    injections: injections, pool: pool)
                do {
                    try replica.run()
                    return (replica.model, replica.state)
                } catch {
                    group[rank].abort()
                    throw error
                }
            })
        self.models = [root.0.model] + others.map(\.0)
        self.states = [root.0.state] + others.map(\.1)
        faults += root.0.faults
        timings = root.0.timings
        return root.1
    }

    /// `eval/<domain>/loss`, `eval/<domain>/bpb`, and their means `eval/loss`, `eval/bpb` (summed
    /// in domain order, so the last bits do not depend on a dictionary's per-process order).
    public static func metricValues(of results: [String: DomainEvaluator.Result]) -> [String: Double] {
        var values = [String: Double]()
        let ordered = results.keys.sorted().map { results[$0]! }
        for (domain, result) in results {
            values["eval/\(domain)/loss"] = result.loss
            values["eval/\(domain)/bpb"] = result.bitsPerByte
        }
        values["eval/loss"] = ordered.reduce(0) { $0 + $1.loss } / Double(results.count)
        values["eval/bpb"] = ordered.reduce(0) { $0 + $1.bitsPerByte } / Double(results.count)
        return values
    }
}
