import FactoryCore
import Testing

@testable import Models
@testable import Tensors
@testable import Training

/// The plain single-process step that `Trainer` must reproduce bitwise with any number of
/// replicas (it is what the single-process trainer computed before there was one loop for all):
/// sum the micro-batch gradients in micro-batch order, scale by 1/A, clip, take the optimizer
/// step at the scheduled rate, update the routing biases from the step's expert loads.
struct ReferenceLoop {
    let settings: Trainer.Settings
    let sampler: MixtureBatchSampler
    var model: LagunaModel
    var optimizer: Optimizer

    init(settings: Trainer.Settings, model: LagunaModel, sampler: MixtureBatchSampler) throws {
        self.settings = settings
        self.sampler = sampler
        self.model = model
        optimizer = try Optimizer(adamW: settings.adamW, muon: settings.muon, parameters: model.parameters)
    }

    /// Runs steps `1...steps`.
    mutating func run(steps: Int) throws {
        let pool = ThreadPool.serial
        for step in 1...steps {
            var total: ParameterSet?
            var loads = LagunaExpertLoads()
            for micro in 0..<settings.accumulation {
                let (inputs, targets) = try sampler.batch(
                    step: (step - 1) * settings.accumulation + micro, size: settings.batch, time: settings.time)
                let result = try model.forwardBackward(inputs, targets: targets, pool: pool)
                loads.add(result.expertLoads)
                guard var sum = total else {
                    total = result.gradients
                    continue
                }
                for name in sum.names { try sum.update(name) { try ElementwiseKernel.add(result.gradients[name], into: &$0, pool: pool) } }
                total = sum
            }
            var gradients = try #require(total)
            let scale = 1 / Float(settings.accumulation)
            if settings.accumulation > 1 {
                for name in gradients.names { gradients.update(name) { ReductionKernel.scale(&$0, by: scale, pool: pool) } }
            }
            if let maximum = settings.gradientClip { GradientClipping.clip(&gradients, maximumNorm: maximum, pool: pool) }
            try optimizer.step(
                parameters: &model.parameters, gradients: gradients, learningRate: Float(settings.schedule.rate(atStep: step)), pool: pool)
            try model.updateCorrectionBiases(loads: loads, rate: settings.expertBiasUpdateRate)
        }
    }
}
