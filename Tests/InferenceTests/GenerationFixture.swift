import FactoryCore
import Foundation
import Inference
import Models
import Tensors

/// A greedy-generation parity fixture (`Fixtures/generation/<name>`, written by
/// `scripts/make_generation_fixtures.sh`): a checkpoint, a prompt and the 64 tokens `transformers`
/// generated greedily after it.
struct GenerationFixture {
    static let names = ["dense_sliding", "moe_sliding"]

    let model: LagunaModel
    let prompt: [UInt32]
    let generated: [UInt32]

    private struct Record: Decodable {
        let prompt: [UInt32]
        let generated: [UInt32]
    }

    init(_ name: String) throws {
        guard let url = Bundle.module.url(forResource: "Fixtures/generation/\(name)", withExtension: nil) else {
            throw FactoryError.fileNotFound(path: "Fixtures/generation/\(name)")
        }
        model = try LagunaCheckpoint.read(directory: url.path).model
        let record = try JSONDecoder().decode(Record.self, from: Data(contentsOf: url.appendingPathComponent("generation.json")))
        prompt = record.prompt
        generated = record.generated
    }

    /// max |a − b| / max |b|.
    static func relativeError(_ actual: [Float], _ expected: [Float]) -> Double {
        let difference = zip(actual, expected).map { abs(Double($0) - Double($1)) }.max() ?? 0
        let scale = expected.map { abs(Double($0)) }.max() ?? 0
        return difference / max(scale, 1e-30)
    }

    /// Row `row` of a rank-2 tensor.
    static func row(_ tensor: Tensor, _ row: Int) -> [Float] {
        let width = tensor.shape[1]
        return Array(tensor.storage[row * width..<(row + 1) * width])
    }

    /// The index of the largest value (the first on ties, as `torch.argmax`).
    static func argmax(_ values: [Float]) -> UInt32 {
        var best = 0
        for (index, value) in values.enumerated() where value > values[best] { best = index }
        return UInt32(best)
    }
}
