import Evaluation
import FactoryCore
import Foundation
import Models
import Tensors

/// The training loop, as one replica runs it (SPMD): accumulate this replica's share of the
/// step's micro-batch gradients, all-reduce them, scale, clip, take the scheduled optimizer step,
/// update the MoE routing biases, then log, evaluate, check and checkpoint. It talks to the other
/// replicas only through its `Collectives`. `Trainer` runs one or more of them as threads; an MPI
/// launcher would run one per process with an MPI implementation of `Collectives` (see there).
///
/// A step's global batch is `accumulation` micro-batches of `batch` sequences, micro-batch k of
/// step s being `microBatches((s-1)·A + k)`; replica r computes the gradients of micro-batches
/// `r·A/R ..< (r+1)·A/R` on its own weights. The all-reduce sums the micro-batch gradients in
/// micro-batch order (then each replica scales by 1/A and clips), so every replica applies the
/// same update and the weights are bitwise the same for every R that divides A. Replica 0 comes
/// first in that order, so it folds its own gradients as they come; alone (R = 1), its fold is
/// the whole sum and the all-reduce hands it back as it is. With Muon and `shardMuon`, each
/// replica orthogonalizes its share of the matrices (`MuonShards`).
///
/// Integrity (R > 1): every `checkEvery` steps each replica hashes its weights and optimizer
/// state with the fast 64-bit hash, and at every checkpoint step (`checkpointEvery`, and the last
/// step, whose state becomes `final`) with SHA-256; the hashes are all-gathered and compared.
/// Equal hashes make the state verified (kept in memory). A mismatch is recorded
/// (`.integrityFault`, naming the tensors and the odd replica by majority), every replica restores
/// the last verified state (`.rollback`) and the steps since are replayed; training is
/// deterministic, so the run ends as a clean run would. Without a majority (two replicas), the
/// replayed state is the referee: when the replay reaches the fault's step, a replica that
/// differed from it while the other matched it is named (`.warning` event, and in `faults`); this
/// needs the check to come before any gradient computed on the corrupted state has reached the
/// other replica, that is, in the step of the corruption (`checkEvery = 1` for certain). A
/// corruption that the next updates round away before a check (a flipped low mantissa bit, say)
/// leaves the replicas equal and is not seen, though gradients computed on it fed the all-reduce;
/// `checkEvery = 1` checks every update. A single replica has nothing to compare with: every
/// step is verified as it ends, and no copy of the state is kept.
///
/// Divergence: a step whose loss or gradient norm is NaN or infinite is not applied. While
/// `skipNonfiniteSteps` allows, it is skipped (the step counter moves on, the weights and
/// optimizer state stay, `state.skippedSteps` counts it and a `.skippedStep` event names it);
/// otherwise the run stops with `TrainingDivergence` before the update. Every replica sees the
/// same all-reduced values, so all of them decide alike.
///
/// Replica 0 also reports: metrics (`train/…` at every `logEvery` steps and the last, `eval/…`
/// at every `evalEvery` and the last) and evaluations go to the sinks only once the steps they
/// belong to are verified (a rolled-back stretch records nothing), and it writes the verified
/// checkpoints.
public struct ReplicaTrainer {
    /// The settings every replica runs with.
    public let settings: Trainer.Settings
    /// This replica's link to the others.
    public let collectives: any Collectives
    /// This replica's model.
    public private(set) var model: LagunaModel
    /// This replica's step and optimizer state.
    public private(set) var state: TrainerState
    /// Faults found so far.
    public private(set) var faults: [IntegrityCheck.Fault] = []
    /// Where the time went.
    public private(set) var timings = Trainer.Timings()
    /// The last state every replica agreed on (with more than one replica).
    var verified: (model: LagunaModel, state: TrainerState)?
    /// A fault without a majority (its step, index in `faults` and the hashes), until the replay
    /// reaches its step (`resolveByReplay`).
    var unresolved: (step: Int, faultIndex: Int, hashes: [WeightHash])?
    var pendingInjections: [FaultInjection]
    var reporting: Trainer.Reporting?
    let microBatches: Trainer.MicroBatches
    let shards: MuonShards?
    let pool: ThreadPool

    /// Replica `collectives.rank` starting from `model` and `state` (replica 0's are broadcast to
    /// the others when `run` starts). `injections` may name any replica; this one applies its own.
    /// `reporting` is replica 0's.
    public init(
        settings: Trainer.Settings, collectives: any Collectives, model: LagunaModel, state: TrainerState,
        microBatches: @escaping Trainer.MicroBatches, injections: [FaultInjection] = [], reporting: Trainer.Reporting? = nil,
        pool: ThreadPool
    ) {
        self.settings = settings
        self.collectives = collectives
        self.model = model
        self.state = state
        pendingInjections = injections.filter { $0.replica == collectives.rank }
        self.reporting = collectives.rank == 0 ? reporting : nil
        self.microBatches = microBatches
        shards =
            settings.shardMuon && collectives.size > 1
            ? state.optimizer.muon.map { MuonShards(groups: $0.groups, collectives: collectives, pool: pool) } : nil
        self.pool = pool
    }

    /// Runs to `settings.steps`, checking and rolling back as needed; returns the last training
    /// loss and the last verified evaluation (replica 0; the others return no evaluation).
    @discardableResult
    public mutating func run() throws -> (loss: Double, evaluation: [String: DomainEvaluator.Result]) {
        let replicated = collectives.size > 1
        try adoptRootState()
        if replicated { verified = (model, state) }
        var window = TrainingLogWindow()
        var unverifiedMetrics = [(step: Int, values: [String: Double])]()
        var unverifiedEvaluation: [String: DomainEvaluator.Result]?
        var evaluation = [String: DomainEvaluator.Result]()
        var lastLoss = Double.nan
        while state.step < settings.steps {
            let start = ProgressReporter.monotonicSeconds()
            let outcome = try advance()
            let seconds = ProgressReporter.monotonicSeconds() - start
            timings.stepSeconds.append(seconds)
            let step = state.step
            if outcome.skipped {
                try reporting?.integrity?.record(
                    kind: .skippedStep, step: step,
                    message: "skipped step \(step): \(outcome.nonFinite) (\(state.skippedSteps) of at most "
                        + "\(settings.skipNonfiniteSteps) skips, train.skip_nonfinite_steps)",
                    details: [
                        "loss": "\(outcome.loss)", "grad_norm": "\(outcome.gradientNorm)", "skipped_steps": "\(state.skippedSteps)",
                    ])
            } else {
                lastLoss = outcome.loss
            }
            if let reporting {
                reporting.progress?.advance()
                window.add(
                    tokens: settings.batch * settings.time * settings.accumulation, stepSeconds: seconds, optimizerSeconds: outcome.optimizerSeconds)
                if step % settings.logEvery == 0 || step == settings.steps {
                    var values = window.close(
                        loss: outcome.loss, learningRate: outcome.learningRate, gradientNorm: outcome.gradientNorm,
                        expertLoads: outcome.expertLoads
                    ).filter(\.value.isFinite)
                    if settings.skipNonfiniteSteps > 0 { values["train/skipped_steps"] = Double(state.skippedSteps) }
                    unverifiedMetrics.append((step, values))
                }
                if let every = settings.evalEvery, step % every == 0 || step == settings.steps, let evaluator = reporting.evaluator {
                    let results = try evaluator.evaluate(model, pool: pool)
                    if !results.isEmpty {
                        unverifiedMetrics.append((step, Trainer.metricValues(of: results)))
                        unverifiedEvaluation = results
                    }
                }
            }
            let checkpoint: String? =
                if step == settings.steps {
                    settings.output + "/final"
                } else if let every = settings.checkpointEvery, step % every == 0 {
                    Trainer.checkpointPath(output: settings.output, step: step)
                } else {
                    nil
                }
            if replicated {
                guard checkpoint != nil || settings.checkEvery.map({ step % $0 == 0 }) == true else { continue }
                guard try check(kind: checkpoint == nil ? .fast64 : .sha256) else {
                    unverifiedMetrics.removeAll()
                    unverifiedEvaluation = nil
                    window = TrainingLogWindow()
                    continue
                }
            }
            if let reporting {
                for (step, values) in unverifiedMetrics { try reporting.metrics?.record(step: step, values: values) }
                unverifiedMetrics.removeAll()
                if let results = unverifiedEvaluation { evaluation = results }
                unverifiedEvaluation = nil
                if let checkpoint, reporting.writesCheckpoints {
                    try Trainer.writeCheckpoint(
                        model: model, state: state, resumption: settings.resumption, tokenizerPath: reporting.tokenizerPath,
                        to: checkpoint)
                }
            }
            if replicated, checkpoint != nil { try collectives.barrier() }
        }
        return (lastLoss, evaluation)
    }

    /// Replaces this replica's weights and optimizer state with replica 0's.
    mutating func adoptRootState() throws {
        guard collectives.size > 1 else { return }
        model.parameters = try collectives.broadcast(model.parameters, from: 0)
        let optimizer = state.optimizer
        let first = try collectives.broadcast(optimizer.adamW.firstMoments, from: 0)
        let second = try collectives.broadcast(optimizer.adamW.secondMoments, from: 0)
        let muon = try optimizer.muon.map { muon in
            Muon(settings: muon.settings, groups: muon.groups, momentum: try collectives.broadcast(muon.momentum, from: 0))
        }
        let counters = try collectives.broadcast([state.step, optimizer.adamW.stepCount, state.skippedSteps], from: 0)
        state = TrainerState(
            step: counters[0], seed: state.seed,
            optimizer: Optimizer(
                adamW: AdamW(settings: optimizer.adamW.settings, stepCount: counters[1], firstMoments: first, secondMoments: second),
                muon: muon),
            skippedSteps: counters[2])
    }

    /// What one step did.
    struct StepOutcome {
        var loss: Double
        var gradientNorm: Double
        var learningRate: Double
        var optimizerSeconds: Double
        var expertLoads: LagunaExpertLoads
        /// Whether the step was skipped for a non-finite loss or gradient norm.
        var skipped = false

        /// "the loss is nan", as `TrainingDivergence` says it.
        var nonFinite: String {
            TrainingDivergence(step: 0, loss: loss, gradientNorm: gradientNorm, skipped: 0, allowedSkips: 0).nonFiniteValues
        }
    }

    /// One step: this replica's gradients, the ordered all-reduce, then the update, or a skip (or
    /// `TrainingDivergence`) when the loss or the gradient norm is not finite.
    mutating func advance() throws -> StepOutcome {
        let (shards, pool) = (self.shards, self.pool)
        let step = state.step + 1
        let share = settings.accumulation / collectives.size
        var terms = [ParameterSet]()
        var losses = [Double]()
        var loads = LagunaExpertLoads()
        for micro in (collectives.rank * share)..<((collectives.rank + 1) * share) {
            let (inputs, targets) = try microBatches((step - 1) * settings.accumulation + micro)
            let result = try model.forwardBackward(inputs, targets: targets, pool: pool)
            if collectives.rank == 0, var sum = terms.popLast() {
                for name in sum.names {
                    try sum.update(name) { try ElementwiseKernel.add(result.gradients[name], into: &$0, pool: pool) }
                }
                terms.append(sum)
            } else {
                terms.append(result.gradients)
            }
            losses.append(Double(result.loss))
            loads.add(result.expertLoads)
        }
        var gradients = try collectives.allReduceSum(terms, pool: pool)
        terms.removeAll()
        let loss = try collectives.allGather(losses).joined().reduce(0, +) / Double(settings.accumulation)
        let totalLoads = try gatherLoads(loads)
        if settings.accumulation > 1 {
            let scale = 1 / Float(settings.accumulation)
            for name in gradients.names { gradients.update(name) { ReductionKernel.scale(&$0, by: scale, pool: pool) } }
        }
        let norm =
            settings.gradientClip.map { GradientClipping.clip(&gradients, maximumNorm: $0, pool: pool) }
            ?? GradientClipping.globalNorm(gradients, pool: pool)
        let rate = settings.schedule.rate(atStep: step)
        guard loss.isFinite, norm.isFinite else {
            guard state.skippedSteps < settings.skipNonfiniteSteps else {
                throw TrainingDivergence(
                    step: step, loss: loss, gradientNorm: norm, skipped: state.skippedSteps, allowedSkips: settings.skipNonfiniteSteps)
            }
            state.skippedSteps += 1
            state.step = step
            return StepOutcome(
                loss: loss, gradientNorm: norm, learningRate: rate, optimizerSeconds: 0, expertLoads: totalLoads, skipped: true)
        }
        for injection in takeInjections(step: step, targets: [.gradient]) { try injection.apply(to: &gradients) }
        var orthogonalizeSeconds = 0.0
        let orthogonalize = { (matrices: [Tensor]) throws -> [Tensor] in
            let start = ProgressReporter.monotonicSeconds()
            defer { orthogonalizeSeconds += ProgressReporter.monotonicSeconds() - start }
            return try shards?.orthogonalize(matrices) ?? MuonUpdate.orthogonalize(matrices, pool: pool)
        }
        let optimizerStart = ProgressReporter.monotonicSeconds()
        try state.optimizer.step(
            parameters: &model.parameters, gradients: gradients, learningRate: Float(rate), pool: pool, orthogonalize: orthogonalize)
        let optimizerSeconds = ProgressReporter.monotonicSeconds() - optimizerStart
        timings.optimizerSeconds += optimizerSeconds
        timings.orthogonalizeSeconds += orthogonalizeSeconds
        // MoE load balancing without an auxiliary loss: routing biases follow this step's loads.
        try model.updateCorrectionBiases(loads: totalLoads, rate: settings.expertBiasUpdateRate)
        state.step = step
        for injection in takeInjections(step: step, targets: [.weights]) { try injection.apply(to: &model.parameters) }
        for injection in takeInjections(step: step, targets: [.optimizer]) { try injection.apply(to: &state.optimizer) }
        return StepOutcome(loss: loss, gradientNorm: norm, learningRate: rate, optimizerSeconds: optimizerSeconds, expertLoads: totalLoads)
    }

    /// Every replica's expert loads, summed.
    func gatherLoads(_ loads: LagunaExpertLoads) throws -> LagunaExpertLoads {
        guard collectives.size > 1 else { return loads }
        let layers = loads.layers
        let gathered = try collectives.allGather(layers.flatMap { loads.counts[$0]! })
        var total = LagunaExpertLoads()
        for flat in gathered {
            var counts = [Int: [Int]]()
            var offset = 0
            for layer in layers {
                let width = loads.counts[layer]!.count
                counts[layer] = Array(flat[offset..<(offset + width)])
                offset += width
            }
            total.add(LagunaExpertLoads(counts: counts))
        }
        return total
    }

    /// This replica's pending injections of `step` at `targets`, removed (each is applied once).
    mutating func takeInjections(step: Int, targets: Set<FaultInjection.Target>) -> [FaultInjection] {
        let due = pendingInjections.filter { $0.step == step && targets.contains($0.target) }
        pendingInjections.removeAll { $0.step == step && targets.contains($0.target) }
        return due
    }

    /// Hashes this replica, compares with every replica's hash, then keeps the state as verified
    /// (returns true) or records the fault and restores the last verified state (false).
    mutating func check(kind: WeightHash.Kind) throws -> Bool {
        let start = ProgressReporter.monotonicSeconds()
        defer {
            let seconds = ProgressReporter.monotonicSeconds() - start
            if kind == .fast64 {
                timings.fastChecks += 1
                timings.fastCheckSeconds += seconds
            } else {
                timings.strongChecks += 1
                timings.strongCheckSeconds += seconds
            }
        }
        let mine = WeightHash(parameters: model.parameters, optimizer: state.optimizer, kind: kind, pool: pool)
        let hashes = try collectives.allGather(mine.words).map { try WeightHash(kind: kind, names: mine.names, words: $0) }
        guard let fault = IntegrityCheck.compare(hashes) else {
            try resolveByReplay(clean: mine)
            verified = (model, state)
            return true
        }
        faults.append(fault)
        let from = state.step
        guard let last = verified else { preconditionFailure("only replicas that keep a verified state check") }
        (model, state) = last
        unresolved = fault.oddReplicas.isEmpty ? (from, faults.count - 1, hashes) : nil
        let odd =
            fault.oddReplicas.isEmpty
            ? "undetermined (no majority; the replay will tell)" : fault.oddReplicas.map(String.init).joined(separator: ",")
        try reporting?.integrity?.record(
            kind: .integrityFault, step: from,
            message: "replica \(kind == .sha256 ? "SHA-256" : "weight") hashes differ at step \(from); odd replica: \(odd); "
                + "tensors: \(fault.tensors.joined(separator: ", "))",
            details: [
                "odd_replicas": odd, "tensors": fault.tensors.joined(separator: ","), "hash": kind.rawValue,
                "hashes": hashes.map { String($0.combined, radix: 16) }.joined(separator: ","),
            ])
        try reporting?.integrity?.record(
            kind: .rollback, step: state.step,
            message: "rolled all \(collectives.size) replicas back from step \(from) to verified step \(state.step)",
            details: ["from_step": "\(from)", "to_step": "\(state.step)"])
        return false
    }

    /// When the replay after a rollback reaches the step of a fault that had no majority (two
    /// replicas), the replayed state is the clean one: if some replica held exactly it, the others
    /// were the odd ones; they are named in `faults` and in a `.warning` event. If none did, the
    /// corruption had reached every replica through the all-reduced gradients before the check
    /// (it came more than one step before it) and the event says the culprit cannot be told.
    mutating func resolveByReplay(clean: WeightHash) throws {
        guard let (step, index, hashes) = unresolved, step == state.step else { return }
        unresolved = nil
        let odd = hashes.indices.filter { hashes[$0].words != clean.words }
        guard odd.count < hashes.count else {
            try reporting?.integrity?.record(
                kind: .warning, step: step,
                message: "the replay to step \(step) matches no replica there: the corruption had reached every replica "
                    + "through the gradients before the check, so the odd replica cannot be told (check more often to tell)",
                details: ["odd_replicas": "undetermined", "resolved_by": "replay"])
            return
        }
        faults[index].oddReplicas = odd
        let names = odd.map(String.init).joined(separator: ",")
        try reporting?.integrity?.record(
            kind: .warning, step: step,
            message: "the replay to step \(step) matches the other replicas there, so replica \(names) was the odd one",
            details: ["odd_replicas": names, "resolved_by": "replay"])
    }
}
