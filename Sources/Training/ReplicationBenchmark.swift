import FactoryCore
import Models
import Tensors

/// Measures replicated training on random tokens (what `bench/integrity.sh` reports): step time,
/// the cost of the periodic weight-hash checks, and the optimizer's and Muon orthogonalization's
/// share, as `Trainer` runs them.
public enum ReplicationBenchmark {
    /// One measurement (replica 0's clock; the replicas run in lockstep).
    public struct Result: Sendable {
        /// Steps run.
        public let steps: Int
        /// Mean seconds of a step (gradients, all-reduce, update), first `warmup` steps left out.
        public let secondsPerStep: Double
        /// Fast checks run and their mean seconds (hashing, all-gather, comparison).
        public let fastChecks: Int
        public let secondsPerFastCheck: Double
        /// Time in fast checks over time in steps, whole run.
        public let fastCheckShare: Double
        /// Mean seconds of the optimizer update and of Muon's orthogonalization in it, per step.
        public let optimizerSecondsPerStep: Double
        public let orthogonalizeSecondsPerStep: Double
    }

    /// Runs `steps` steps of `replicas` replicas, each computing one micro-batch of `batch`
    /// sequences of `time` random tokens per step on `pool`, checked every `checkEvery` steps
    /// (`nil`: never; the last step is always checked with SHA-256, and is not counted here).
    public static func measure(
        _ config: LagunaConfig, replicas: Int, batch: Int, time: Int, steps: Int, warmup: Int = 2, checkEvery: Int?,
        muon: Bool, shardMuon: Bool, pool: ThreadPool
    ) throws -> Result {
        guard steps > warmup else {
            throw FactoryError.invalidArgument(name: "steps", message: "\(steps) leaves no timed step after \(warmup) warm-up steps")
        }
        var settings = Trainer.Settings(
            steps: steps, batch: batch, time: time, output: "", seed: 0,
            schedule: LearningRateSchedule(peak: 1e-3, warmupSteps: 0, totalSteps: steps, shape: .constant, minimumRatio: 0.1, decayFraction: 0.2),
            adamW: AdamW.Settings())
        settings.accumulation = replicas
        settings.gradientClip = 1
        settings.muon = muon ? Muon.Settings() : nil
        settings.replicas = replicas
        settings.checkEvery = checkEvery
        settings.shardMuon = shardMuon
        let stream = RandomStream(seed: 1).split("benchmark-tokens")
        let vocabulary = UInt64(config.vocabSize)
        var trainer = try Trainer(
            settings: settings, model: try LagunaModel.initialized(config, seed: 0), pool: pool
        ) { index in
            let draw = stream.split(index)
            let tokens = (0..<(batch * (time + 1))).map { Int32(draw.word(at: UInt64($0)) % vocabulary) }
            var inputs = [Int32]()
            var targets = [Int32]()
            for row in 0..<batch {
                inputs += tokens[(row * (time + 1))..<(row * (time + 1) + time)]
                targets += tokens[(row * (time + 1) + 1)..<((row + 1) * (time + 1))]
            }
            return (try TokenBatch(batch: batch, time: time, tokens: inputs), targets)
        }
        try trainer.run()
        let timings = trainer.timings
        let timed = timings.stepSeconds.dropFirst(warmup)
        return Result(
            steps: timings.stepSeconds.count, secondsPerStep: timed.reduce(0, +) / Double(timed.count),
            fastChecks: timings.fastChecks,
            secondsPerFastCheck: timings.fastChecks > 0 ? timings.fastCheckSeconds / Double(timings.fastChecks) : 0,
            fastCheckShare: timings.fastCheckSeconds / timings.totalStepSeconds,
            optimizerSecondsPerStep: timings.optimizerSeconds / Double(timings.stepSeconds.count),
            orthogonalizeSecondsPerStep: timings.orthogonalizeSeconds / Double(timings.stepSeconds.count))
    }
}
