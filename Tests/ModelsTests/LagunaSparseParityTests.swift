import FactoryCore
import Foundation
import Testing

@testable import Models
@testable import Tensors

/// Parity of sparse (MoE) layers with `transformers`' `LagunaForCausalLM` on the
/// `laguna-sparse/moe_dense_sparse` fixture: its `model.safetensors` is in the per-expert layout
/// `save_pretrained` writes, its gradients under the fused in-memory names.
@Suite struct LagunaSparseParityTests {
    static func fixtureDirectory() throws -> String {
        guard let url = Bundle.module.url(forResource: "Fixtures/laguna-sparse/moe_dense_sparse", withExtension: nil) else {
            throw FactoryError.fileNotFound(path: "Fixtures/laguna-sparse/moe_dense_sparse")
        }
        return url.path
    }

    @Test func logitsLossAndGradientsMatchTransformers() throws {
        let directory = try Self.fixtureDirectory()
        let model = try LagunaCheckpoint.read(directory: directory).model
        #expect(model.config.mlpLayerTypes == [.dense, .sparse, .sparse])
        let tokens = try JSONDecoder().decode([Int32].self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/tokens.json")))
        let batch = try TokenBatch(batch: 1, time: tokens.count, tokens: tokens)
        let expected = try SafeTensorsFile.read(path: directory + "/expected.safetensors").tensors

        let result = try model.forwardBackward(batch, targets: batch.nextTokenTargets)
        let logitsError = LagunaParityTests.relativeError(result.logits, try #require(expected["logits"]))
        #expect(logitsError < 1e-4, "logits off by \(logitsError) relative")
        let expectedLoss = try #require(expected["loss"]).storage[0]
        #expect(abs(result.loss - expectedLoss) / abs(expectedLoss) < 1e-4, "loss \(result.loss) vs \(expectedLoss)")
        var worst = (name: "", error: 0.0)
        for name in model.parameters.names {
            guard let reference = expected[name] else {
                // Only the routing correction biases take no gradient in transformers.
                #expect(name.hasSuffix("e_score_correction_bias"), "no reference gradient for \(name)")
                #expect(result.gradients[name].storage.allSatisfy { $0 == 0 })
                continue
            }
            let error = LagunaParityTests.relativeError(result.gradients[name], reference)
            #expect(error < 1e-3, "gradient of \(name) off by \(error) relative")
            if error > worst.error { worst = (name, error) }
        }
        print(
            "moe_dense_sparse parity: logits \(logitsError), loss \(abs(result.loss - expectedLoss) / abs(expectedLoss)), worst gradient \(worst.name) \(worst.error)"
        )
        #expect(result.expertLoads.layers == [1, 2])
    }

    /// Written in the hub layout (what `save_pretrained` writes), read back bitwise; a file in
    /// the fused layout reads too; a missing expert matrix is named with the file.
    @Test func sparseCheckpointsUseTheHubLayoutAndReadBothLayouts() throws {
        let source = try LagunaCheckpoint.read(directory: try Self.fixtureDirectory()).model
        let scratch = try TemporaryDirectory()
        let directory = scratch.path("ckpt")
        try LagunaCheckpoint.write(model: source, to: directory)
        let written = try SafeTensorsFile.read(path: directory + "/model.safetensors")
        let fixture = try SafeTensorsFile.read(path: try Self.fixtureDirectory() + "/model.safetensors")
        #expect(written.tensors.keys.sorted() == fixture.tensors.keys.sorted(), "the same names as save_pretrained writes")
        for (name, tensor) in fixture.tensors { #expect(written.tensors[name] == tensor, "\(name) differs from the fixture") }
        #expect(try LagunaCheckpoint.read(directory: directory).model.parameters == source.parameters)

        var fused = [String: Tensor]()
        for name in source.parameters.names { fused[name] = source.parameters[name] }
        #expect(try LagunaParameters.parameters(of: source.config, from: fused, source: "fused.safetensors") == source.parameters)

        var missing = written.tensors
        missing["model.layers.2.mlp.experts.3.up_proj.weight"] = nil
        let message = LagunaCheckpointTests.failure { _ = try LagunaParameters.parameters(of: source.config, from: missing, source: "x.safetensors") }
        #expect(message.contains("x.safetensors") && message.contains("model.layers.2.mlp.experts.3.up_proj.weight"), "\(message)")
        var both = written.tensors
        both["model.layers.1.mlp.experts.gate_up_proj"] = source.parameters["model.layers.1.mlp.experts.gate_up_proj"]
        #expect(
            LagunaCheckpointTests.failure { _ = try LagunaParameters.parameters(of: source.config, from: both, source: "y.safetensors") }
                .contains("both model.layers.1.mlp.experts.gate_up_proj"))
    }
}
