import Evaluation
import FactoryCore
import Foundation
import Models
import Tensors

/// The training loop: mixture batches, forward/backward, gradient accumulation and clipping,
/// AdamW or Muon under a learning-rate schedule, periodic evaluation and checkpoints, exact resume.
///
/// Deterministic: the batches of step s come from (seed, s), every kernel reduces in a fixed
/// order, so two runs with the same settings produce bitwise-identical weights whatever the
/// thread count, and a run resumed from a checkpoint ends equal to an uninterrupted one.
public struct Trainer {
    /// Loop settings.
    public struct Settings: Sendable {
        public var steps: Int
        public var batch: Int
        public var time: Int
        public var accumulation: Int = 1
        public var gradientClip: Double? = 1
        public var checkpointEvery: Int? = nil
        public var evalEvery: Int? = nil
        public var logEvery: Int = 10
        /// The run folder: `checkpoints/step-NNNNNNN/` and `final/` go here.
        public var output: String
        public var seed: UInt64
        public var schedule: LearningRateSchedule
        public var adamW: AdamW.Settings
        /// When set, Muon for the hidden matrices and AdamW (`adamW`) for the other parameters.
        public var muon: Muon.Settings? = nil
        /// γ of the MoE routing-bias update after each step (`LagunaModel.updateCorrectionBiases`); 0 turns it off.
        public var expertBiasUpdateRate: Float = LagunaModel.defaultBiasUpdateRate

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

    public let settings: Settings
    public private(set) var model: LagunaModel
    public private(set) var state: TrainerState
    /// Tokens per expert of each sparse layer in the last step (all micro-batches).
    public private(set) var expertLoads = LagunaExpertLoads()
    let sampler: MixtureBatchSampler
    let evaluator: DomainEvaluator?
    let sink: (any MetricSink)?
    let tokenizerPath: String?
    let pool: ThreadPool

    /// A trainer starting at step 0 from `model`.
    public init(
        settings: Settings, model: LagunaModel, sampler: MixtureBatchSampler, evaluator: DomainEvaluator?,
        sink: (any MetricSink)?, tokenizerPath: String?, pool: ThreadPool = .machineWide
    ) throws {
        self.settings = settings
        self.model = model
        self.state = TrainerState(
            step: 0, seed: settings.seed,
            optimizer: try Optimizer(adamW: settings.adamW, muon: settings.muon, parameters: model.parameters))
        self.sampler = sampler
        self.evaluator = evaluator
        self.sink = sink
        self.tokenizerPath = tokenizerPath
        self.pool = pool
    }

    /// Continues from a checkpoint folder written by this trainer (weights verified by digest).
    public mutating func resume(from checkpoint: String) throws {
        (model, state) = try Self.restore(from: checkpoint, config: model.config, settings: settings)
    }

    /// The model and trainer state in a checkpoint folder (weights verified by digest), checked
    /// against the run's model config and settings (optimizer, seed).
    public static func restore(
        from checkpoint: String, config: LagunaConfig, settings: Settings
    ) throws -> (model: LagunaModel, state: TrainerState) {
        let restored = try LagunaCheckpoint.read(directory: checkpoint, verify: true).model
        guard restored.config == config else {
            throw FactoryError.corrupt(path: checkpoint, reason: "its config.json differs from this run's model config")
        }
        let restoredState = try TrainerState.read(
            fromDirectory: checkpoint, parameters: restored.parameters, adamW: settings.adamW, muon: settings.muon)
        guard restoredState.seed == settings.seed else {
            throw FactoryError.corrupt(path: checkpoint, reason: "it was trained with seed \(restoredState.seed), this run uses \(settings.seed)")
        }
        return (restored, restoredState)
    }

    /// The newest `checkpoints/step-*` folder under `output`, if any.
    public static func latestCheckpoint(in output: String) -> String? {
        let folder = output + "/checkpoints"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasPrefix("step-") && !$0.contains(".") }.sorted().last.map { folder + "/" + $0 }
    }

    /// One optimizer step: returns (loss, gradient norm before clipping, learning rate, seconds
    /// spent in the optimizer update).
    mutating func step() throws -> (loss: Double, gradientNorm: Double, learningRate: Double, optimizerSeconds: Double) {
        let step = state.step + 1
        var gradients: ParameterSet?
        var loss = 0.0
        var loads = LagunaExpertLoads()
        for micro in 0..<settings.accumulation {
            let (inputs, targets) = try sampler.batch(
                step: (step - 1) * settings.accumulation + micro, size: settings.batch, time: settings.time)
            let result = try model.forwardBackward(inputs, targets: targets, pool: pool)
            loss += Double(result.loss)
            loads.add(result.expertLoads)
            if var total = gradients {
                for name in total.names {
                    try total.update(name) { try ElementwiseKernel.add(result.gradients[name], into: &$0, pool: pool) }
                }
                gradients = total
            } else {
                gradients = result.gradients
            }
        }
        var total = gradients!
        if settings.accumulation > 1 {
            let scale = 1 / Float(settings.accumulation)
            for name in total.names { total.update(name) { ReductionKernel.scale(&$0, by: scale, pool: pool) } }
        }
        let norm = settings.gradientClip.map { GradientClipping.clip(&total, maximumNorm: $0, pool: pool) }
            ?? GradientClipping.globalNorm(total, pool: pool)
        let rate = settings.schedule.rate(atStep: step)
        let optimizerStart = ProgressReporter.monotonicSeconds()
        try state.optimizer.step(parameters: &model.parameters, gradients: total, learningRate: Float(rate), pool: pool)
        let optimizerSeconds = ProgressReporter.monotonicSeconds() - optimizerStart
        // MoE load balancing without an auxiliary loss: routing biases follow this step's loads.
        try model.updateCorrectionBiases(loads: loads, rate: settings.expertBiasUpdateRate)
        expertLoads = loads
        state.step = step
        return (loss / Double(settings.accumulation), norm, rate, optimizerSeconds)
    }

    /// Runs to `settings.steps`, returning the last training loss and the last evaluation.
    @discardableResult
    public mutating func run(progress: ProgressReporter? = nil) throws -> (loss: Double, evaluation: [String: DomainEvaluator.Result]) {
        var lastLoss = Double.nan
        var lastEvaluation = [String: DomainEvaluator.Result]()
        var window = TrainingLogWindow()
        while state.step < settings.steps {
            let stepStart = ProgressReporter.monotonicSeconds()
            let (loss, norm, rate, optimizerSeconds) = try step()
            window.add(
                tokens: settings.batch * settings.time * settings.accumulation,
                stepSeconds: ProgressReporter.monotonicSeconds() - stepStart, optimizerSeconds: optimizerSeconds)
            lastLoss = loss
            progress?.advance()
            if state.step % settings.logEvery == 0 || state.step == settings.steps {
                try sink?.record(
                    step: state.step, values: window.close(loss: loss, learningRate: rate, gradientNorm: norm, expertLoads: expertLoads))
            }
            if let every = settings.evalEvery, state.step % every == 0 || state.step == settings.steps {
                lastEvaluation = try evaluate()
            }
            if let every = settings.checkpointEvery, state.step % every == 0, state.step < settings.steps {
                try writeCheckpoint(to: Self.checkpointPath(output: settings.output, step: state.step))
            }
        }
        try writeCheckpoint(to: settings.output + "/final")
        return (lastLoss, lastEvaluation)
    }

    /// Evaluates on the validation streams and reports `eval/<domain>/loss`, `…/bpb` and their means.
    public func evaluate() throws -> [String: DomainEvaluator.Result] {
        guard let evaluator else { return [:] }
        let results = try evaluator.evaluate(model, pool: pool)
        guard !results.isEmpty else { return results }
        let values = Self.metricValues(of: results)
        try sink?.record(step: state.step, values: values)
        return results
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

    /// Writes weights, config, tokenizer and trainer state atomically, with digests.
    public func writeCheckpoint(to directory: String) throws {
        try Self.writeCheckpoint(model: model, state: state, tokenizerPath: tokenizerPath, to: directory)
    }

    /// Writes `model` and `state` as a checkpoint folder (with `tokenizerPath`'s tokenizer)
    /// atomically, with digests.
    public static func writeCheckpoint(model: LagunaModel, state: TrainerState, tokenizerPath: String?, to directory: String) throws {
        try FileManager.default.createDirectory(
            atPath: (directory as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try LagunaCheckpoint.write(
            model: model, to: directory, tokenizer: tokenizerPath, metadata: ["step": "\(state.step)", "seed": "\(state.seed)"]
        ) { staging in try state.write(toDirectory: staging) }
    }

    /// The checkpoint folder of step `step` under `output`: `checkpoints/step-NNNNNNN`.
    public static func checkpointPath(output: String, step: Int) -> String {
        output + "/checkpoints/" + String(format: "step-%07d", step)
    }
}
