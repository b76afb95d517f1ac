import Evaluation
import FactoryCore
import Models
import Tensors

/// Data-parallel training with R replicas as threads of one process: R `ReplicaTrainer`s (each
/// its own model, optimizer state and share of every step's micro-batches) joined by
/// `InProcessCollectives`, with periodic integrity checks and rollback (see `ReplicaTrainer`).
/// Replica 0 runs on the calling thread and does the reporting.
public struct ReplicatedTrainer {
    /// Replication settings on top of the single-process loop's.
    public struct Settings: Sendable {
        /// Steps, micro-batch size and count (`accumulation`), clipping, schedule, optimizers, and
        /// the evaluation, logging and checkpoint intervals and output folder (used when reporting
        /// asks for them).
        public var trainer: Trainer.Settings
        /// Number of replicas; must divide `trainer.accumulation`.
        public var replicas: Int
        /// Steps between fast integrity checks; `nil` for none (checkpoints are still checked).
        public var checkEvery: Int?
        /// With Muon, whether each replica orthogonalizes only its share of the matrices
        /// (`MuonShards`) instead of all of them; the result is the same either way.
        public var shardMuon: Bool

        /// Settings for `replicas` replicas checked every `checkEvery` steps.
        public init(trainer: Trainer.Settings, replicas: Int, checkEvery: Int?, shardMuon: Bool = true) {
            self.trainer = trainer
            self.replicas = replicas
            self.checkEvery = checkEvery
            self.shardMuon = shardMuon
        }
    }

    /// The settings this trainer runs with.
    public let settings: Settings
    /// Each replica's model, in replica order (all the starting model until `run`).
    public private(set) var models: [LagunaModel]
    /// Each replica's step and optimizer state, in replica order.
    public private(set) var states: [TrainerState]
    /// Faults found so far.
    public private(set) var faults: [IntegrityCheck.Fault] = []
    /// Replica 0's timings of the last `run`.
    public private(set) var timings = ReplicaTrainer.Timings()
    let microBatches: ReplicaTrainer.MicroBatches
    let injections: [FaultInjection]
    let reporting: ReplicaTrainer.Reporting
    let pool: ThreadPool

    /// `settings.replicas` copies of `model` at step 0, drawing batches from `sampler` as `Trainer`
    /// does; `pool` serves each replica's kernels.
    public init(
        settings: Settings, model: LagunaModel, sampler: MixtureBatchSampler, reporting: ReplicaTrainer.Reporting = .init(),
        injections: [FaultInjection] = [], pool: ThreadPool = .machineWide
    ) throws {
        let trainer = settings.trainer
        try self.init(settings: settings, model: model, reporting: reporting, injections: injections, pool: pool) { index in
            try sampler.batch(step: index, size: trainer.batch, time: trainer.time)
        }
    }

    /// As above, with micro-batch `index` of the run from `microBatches`.
    public init(
        settings: Settings, model: LagunaModel, reporting: ReplicaTrainer.Reporting = .init(), injections: [FaultInjection] = [],
        pool: ThreadPool = .machineWide, microBatches: @escaping ReplicaTrainer.MicroBatches
    ) throws {
        guard settings.replicas >= 1, settings.trainer.accumulation % settings.replicas == 0 else {
            throw FactoryError.invalidArgument(
                name: "replicas",
                message: "\(settings.replicas) replicas do not divide the \(settings.trainer.accumulation) micro-batches of a step")
        }
        if let every = settings.checkEvery, every < 1 {
            throw FactoryError.invalidArgument(name: "check every", message: "\(every) is not a positive step count")
        }
        let trainer = settings.trainer
        let state = TrainerState(
            step: 0, seed: trainer.seed, optimizer: try Optimizer(adamW: trainer.adamW, muon: trainer.muon, parameters: model.parameters))
        for injection in injections {
            try Self.validate(injection, replicas: settings.replicas, steps: trainer.steps, model: model, state: state)
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
            throw FactoryError.invalidArgument(name: "fault replica", message: "\(injection.replica) is not one of \(replicas) replicas (0 to \(replicas - 1))")
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
    public mutating func resume(from checkpoint: String) throws {
        let (model, state) = try Trainer.restore(from: checkpoint, config: models[0].config, settings: settings.trainer)
        models = Array(repeating: model, count: settings.replicas)
        states = Array(repeating: state, count: settings.replicas)
    }

    /// Runs every replica to `settings.trainer.steps`, checking and rolling back as needed; returns
    /// the last training loss and the last verified evaluation.
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
}
