import FactoryCore
import Testing

@testable import Models
@testable import Tensors

/// Auxiliary-loss-free load balancing: the bias update rule and the load statistics.
@Suite struct LagunaLoadBalancingTests {
    @Test func biasMovesBySignOfMeanMinusLoad() throws {
        let config = LagunaSparseMoEBlockTests.config()
        var model = try LagunaModel(config: config, parameters: try LagunaSparseMoEBlockTests.parameters(config))
        let name = "model.layers.1.mlp.gate.e_score_correction_bias"
        let before = model.parameters[name].storage
        let others = model.parameters.names.filter { $0 != name }
        let loads = LagunaExpertLoads(counts: [1: [6, 2, 4, 0, 4, 8]])  // mean 4
        try model.updateCorrectionBiases(loads: loads, rate: 0.25)
        let directions: [Float] = [-1, 1, 0, 1, 0, -1]
        #expect(model.parameters[name].storage == zip(before, directions).map { $0 + 0.25 * $1 })
        for other in others { #expect(model.parameters[other] == (try LagunaSparseMoEBlockTests.parameters(config))[other]) }
        #expect { try model.updateCorrectionBiases(loads: LagunaExpertLoads(counts: [0: [1, 2, 3, 4, 5, 6]])) } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "expert loads" && message.contains("layer 0 with 6 experts is not a sparse layer")
        }
        #expect { try model.updateCorrectionBiases(loads: LagunaExpertLoads(counts: [1: [1, 2]])) } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "expert loads" && message.contains("layer 1 with 2 experts is not a sparse layer")
        }
    }

    @Test func loadsAddUpAndReportStatistics() {
        var loads = LagunaExpertLoads(counts: [1: [3, 0, 1, 0]])
        loads.add(LagunaExpertLoads(counts: [1: [5, 0, 1, 2], 3: [2, 2]]))
        #expect(loads.counts == [1: [8, 0, 2, 2], 3: [2, 2]])
        let stats = loads.statistics(layer: 1)
        #expect(stats.maximum == 8 && stats.mean == 3 && stats.zeroFraction == 0.25)
        #expect(abs(stats.maximumOverMean - 8.0 / 3) < 1e-12)
        let metrics = loads.metrics
        #expect(metrics["moe/layer_1/max_load"] == 8 && metrics["moe/layer_3/max_over_mean"] == 1)
        #expect(metrics["moe/layer_1/zero_fraction"] == 0.25 && metrics["moe/max_over_mean"] == 8.0 / 3)
    }
}
