import Foundation
import Testing

@testable import Models
@testable import Tensors
@testable import Training

@Suite struct ReplicaIntegrityTests {
    @Test func aFlipInOptimizerStateIsCaughtAndNamed() throws {
        let fixture = try TrainingFixture()
        let model = try LagunaModel.initialized(fixture.modelConfig, seed: 5)
        let optimizer = try Optimizer(adamW: AdamW.Settings(), muon: nil, parameters: model.parameters)
        var second = optimizer.adamW.secondMoments
        try FaultInjection(replica: 0, step: 1, tensor: "lm_head.weight", element: 9, bit: 30).apply(to: &second)
        let corrupted = Optimizer(
            adamW: AdamW(
                settings: optimizer.adamW.settings, stepCount: optimizer.adamW.stepCount,
                firstMoments: optimizer.adamW.firstMoments, secondMoments: second),
            muon: nil)
        let clean = WeightHash(parameters: model.parameters, optimizer: optimizer)
        let odd = WeightHash(parameters: model.parameters, optimizer: corrupted)
        #expect(IntegrityCheck.compare([odd, clean, clean]) == IntegrityCheck.Fault(oddReplicas: [0], tensors: ["adamw.v/lm_head.weight"]))
    }
}
