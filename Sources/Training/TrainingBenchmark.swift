import FactoryCore
import Foundation
import Models
import Tensors

/// Measures training throughput of a model config on random tokens: forward, backward, global-norm
/// clipping and an AdamW step, as `Trainer` runs them, and the model FLOP utilization against a
/// GEMM rate.
public enum TrainingBenchmark {
    /// One measurement.
    public struct Result: Sendable {
        public let tokensPerSecond: Double
        /// Training FLOPs per token (forward + backward), `TrainingBenchmark.flopsPerToken`.
        public let flopsPerToken: Double
        /// Median seconds per step.
        public let secondsPerStep: Double
        /// Achieved FLOP/s divided by `peakFlops`.
        public func utilization(peakFlops: Double) -> Double { tokensPerSecond * flopsPerToken / peakFlops }
    }

    /// Training FLOPs per token: `6 · (matrix parameters used per token)` for the projections, the
    /// top-k routed experts and the output layer, plus `6 · 2 · heads · head_dim · mean visible
    /// keys` per layer for the score and value products of attention (causal, or windowed).
    public static func flopsPerToken(_ config: LagunaConfig, time: Int) -> Double {
        var matrixParameters = 0.0
        for (name, shape) in LagunaParameters.layout(of: config) where shape.count >= 2 && name != "model.embed_tokens.weight" {
            // A routed-expert tensor [E, rows, columns]: each token uses top-k of the E matrices.
            let used = shape.count == 3 ? min(config.numExpertsPerToken, shape[0]) * shape[1] * shape[2] : shape.reduce(1, *)
            matrixParameters += Double(used)
        }
        if config.tieWordEmbeddings { matrixParameters += Double(config.vocabSize * config.hiddenSize) }
        var attention = 0.0
        for layer in 0..<config.numHiddenLayers {
            let window = config.window(ofLayer: layer) ?? time
            let meanVisible = Double((0..<time).reduce(0) { $0 + min($1 + 1, window) }) / Double(time)
            attention += 6 * 2 * Double(config.numAttentionHeadsPerLayer[layer] * config.headDim) * meanVisible
        }
        return 6 * matrixParameters + attention
    }

    /// Runs `warmup` untimed steps, then `steps` timed ones.
    public static func measure(
        _ config: LagunaConfig, batch: Int, time: Int, steps: Int, warmup: Int = 2, pool: ThreadPool
    ) throws -> Result {
        var model = try LagunaModel.initialized(config, seed: 0)
        var optimizer = AdamW(settings: AdamW.Settings(), parameters: model.parameters)
        let stream = RandomStream(seed: 1).split("benchmark-tokens")
        var durations = [Double]()
        for step in 0..<(warmup + steps) {
            let stepStream = stream.split(step)
            let tokens = (0..<(batch * (time + 1))).map { Int32(stepStream.word(at: UInt64($0)) % UInt64(config.vocabSize)) }
            var inputs = [Int32]()
            var targets = [Int32]()
            for row in 0..<batch {
                inputs += tokens[(row * (time + 1))..<(row * (time + 1) + time)]
                targets += tokens[(row * (time + 1) + 1)..<((row + 1) * (time + 1))]
            }
            let start = ProgressReporter.monotonicSeconds()
            var (_, gradients, _) = try model.lossAndGradients(TokenBatch(batch: batch, time: time, tokens: inputs), targets: targets, pool: pool)
            GradientClipping.clip(&gradients, maximumNorm: 1, pool: pool)
            try optimizer.step(parameters: &model.parameters, gradients: gradients, learningRate: 1e-3, pool: pool)
            if step >= warmup { durations.append(ProgressReporter.monotonicSeconds() - start) }
        }
        durations.sort()
        let median = durations[durations.count / 2]
        return Result(
            tokensPerSecond: Double(batch * time) / median, flopsPerToken: flopsPerToken(config, time: time), secondsPerStep: median)
    }
}
