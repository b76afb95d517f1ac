import FactoryCore
import Models
import Tensors

/// Data-parallel training with R replicas as threads of one process, each holding its own model
/// and optimizer state, with periodic weight-hash integrity checks and rollback.
///
/// A step's global batch is `trainer.accumulation` micro-batches of `trainer.batch` sequences,
/// micro-batch k of step s drawn as `Trainer` draws it (`sampler.batch(step: (s-1)·A + k)`);
/// replica r computes the gradients of micro-batches `r·A/R ..< (r+1)·A/R` on its own weights. The
/// all-reduce sums the micro-batch gradients in micro-batch order (then scales by 1/A) whatever R,
/// so every replica applies the same update and the weights are bitwise those of a single
/// `Trainer` with the same settings, for every R that divides A.
///
/// Every `checkEvery` steps (and at the last step) each replica hashes its weights and optimizer
/// state (`WeightHash`); equal hashes make the state verified and kept in memory; a mismatch is
/// recorded (`.integrityFault`, naming the odd replica by majority and the tensors), every replica
/// is restored from the last verified state (`.rollback`) and the steps since are replayed.
/// A corruption that the next updates round away before a check (a flipped low mantissa bit, say)
/// leaves the replicas equal and is not seen, though gradients computed on it fed the all-reduce;
/// `checkEvery = 1` checks every update.
public struct ReplicatedTrainer {
    /// Replication settings on top of the single-process loop's.
    public struct Settings: Sendable {
        /// Steps, micro-batch size and count (`accumulation`), clipping, schedule and optimizers;
        /// the evaluation, logging and checkpoint settings are not used here.
        public var trainer: Trainer.Settings
        /// Number of replicas; must divide `trainer.accumulation`.
        public var replicas: Int
        /// Steps between integrity checks.
        public var checkEvery: Int

        /// Settings for `replicas` replicas checked every `checkEvery` steps.
        public init(trainer: Trainer.Settings, replicas: Int, checkEvery: Int) {
            self.trainer = trainer
            self.replicas = replicas
            self.checkEvery = checkEvery
        }
    }

    /// The settings this trainer runs with.
    public let settings: Settings
    /// Each replica's model, in replica order.
    public private(set) var models: [LagunaModel]
    /// Each replica's step and optimizer state, in replica order.
    public private(set) var states: [TrainerState]
    /// The last state all replicas agreed on (replica 0's copy).
    public private(set) var verified: (model: LagunaModel, state: TrainerState)
    /// Faults found so far.
    public private(set) var faults: [IntegrityCheck.Fault] = []
    let sampler: MixtureBatchSampler
    let sink: (any IntegrityCheckSink)?
    let pool: ThreadPool
    var pendingFault: FaultInjection?

    /// `settings.replicas` copies of `model` at step 0; `pool` serves each replica's kernels.
    public init(
        settings: Settings, model: LagunaModel, sampler: MixtureBatchSampler, sink: (any IntegrityCheckSink)?,
        fault: FaultInjection? = nil, pool: ThreadPool = .machineWide
    ) throws {
        guard settings.replicas >= 1, settings.trainer.accumulation % settings.replicas == 0 else {
            throw FactoryError.invalidArgument(
                name: "replicas",
                message: "\(settings.replicas) replicas do not divide the \(settings.trainer.accumulation) micro-batches of a step")
        }
        guard settings.checkEvery >= 1 else {
            throw FactoryError.invalidArgument(name: "check every", message: "\(settings.checkEvery) is not a positive step count")
        }
        if let fault {
            guard (0..<settings.replicas).contains(fault.replica) else {
                throw FactoryError.invalidArgument(name: "fault replica", message: "\(fault.replica) is not one of \(settings.replicas) replicas")
            }
            var probe = model.parameters
            try fault.apply(to: &probe)
        }
        let trainer = settings.trainer
        let state = TrainerState(
            step: 0, seed: trainer.seed, optimizer: try Optimizer(adamW: trainer.adamW, muon: trainer.muon, parameters: model.parameters))
        self.settings = settings
        models = Array(repeating: model, count: settings.replicas)
        states = Array(repeating: state, count: settings.replicas)
        verified = (model, state)
        self.sampler = sampler
        self.sink = sink
        pendingFault = fault
        self.pool = pool
    }

    /// The step every replica has completed.
    public var currentStep: Int { states[0].step }

    /// Runs to `settings.trainer.steps`, checking and rolling back as needed.
    public mutating func run() throws {
        while currentStep < settings.trainer.steps {
            try advance()
            if currentStep % settings.checkEvery == 0 || currentStep == settings.trainer.steps { try check() }
        }
    }

    /// One data-parallel step: per-replica gradients, ordered all-reduce, per-replica update.
    mutating func advance() throws {
        let trainer = settings.trainer
        let step = currentStep + 1
        let share = trainer.accumulation / settings.replicas
        let (models, sampler, pool) = (self.models, self.sampler, self.pool)
        let shards = try ReplicaThreads.run(count: settings.replicas) { replica in
            try (replica * share..<(replica + 1) * share).map { micro in
                let (inputs, targets) = try sampler.batch(
                    step: (step - 1) * trainer.accumulation + micro, size: trainer.batch, time: trainer.time)
                return try models[replica].forwardBackward(inputs, targets: targets, pool: pool)
            }
        }.flatMap { $0 }
        var gradients = shards[0].gradients
        var loads = shards[0].expertLoads
        for shard in shards.dropFirst() {
            for name in gradients.names {
                try gradients.update(name) { try ElementwiseKernel.add(shard.gradients[name], into: &$0, pool: pool) }
            }
            loads.add(shard.expertLoads)
        }
        if trainer.accumulation > 1 {
            let scale = 1 / Float(trainer.accumulation)
            for name in gradients.names { gradients.update(name) { ReductionKernel.scale(&$0, by: scale, pool: pool) } }
        }
        if let maximum = trainer.gradientClip { _ = GradientClipping.clip(&gradients, maximumNorm: maximum, pool: pool) }
        let rate = Float(trainer.schedule.rate(atStep: step))
        let (reduced, totalLoads, states) = (gradients, loads, self.states)
        let updated = try ReplicaThreads.run(count: settings.replicas) { replica in
            var (model, state) = (models[replica], states[replica])
            try state.optimizer.step(parameters: &model.parameters, gradients: reduced, learningRate: rate, pool: pool)
            try model.updateCorrectionBiases(loads: totalLoads, rate: trainer.expertBiasUpdateRate)
            state.step = step
            return (model, state)
        }
        self.models = updated.map(\.0)
        self.states = updated.map(\.1)
        if let fault = pendingFault, fault.step == step {
            try fault.apply(to: &self.models[fault.replica].parameters)
            pendingFault = nil
        }
    }

    /// Hashes every replica, then keeps the state as verified or records the fault and rolls back.
    mutating func check() throws {
        let (models, states) = (self.models, self.states)
        let hashes = try ReplicaThreads.run(count: settings.replicas) { replica in
            WeightHash(parameters: models[replica].parameters, optimizer: states[replica].optimizer)
        }
        guard let fault = IntegrityCheck.compare(hashes) else {
            verified = (models[0], states[0])
            return
        }
        faults.append(fault)
        let odd = fault.oddReplicas.isEmpty ? "undetermined (no majority)" : fault.oddReplicas.map(String.init).joined(separator: ",")
        try sink?.record(
            kind: .integrityFault, step: currentStep,
            message: "replica weight hashes differ at step \(currentStep); odd replica: \(odd); tensors: \(fault.tensors.joined(separator: ", "))",
            details: ["odd_replicas": odd, "tensors": fault.tensors.joined(separator: ","),
                      "hashes": hashes.map { String($0.combined, radix: 16) }.joined(separator: ",")])
        let from = currentStep
        self.models = Array(repeating: verified.model, count: settings.replicas)
        self.states = Array(repeating: verified.state, count: settings.replicas)
        try sink?.record(
            kind: .rollback, step: currentStep, message: "rolled all \(settings.replicas) replicas back from step \(from) to verified step \(currentStep)",
            details: ["from_step": "\(from)", "to_step": "\(currentStep)"])
    }
}
