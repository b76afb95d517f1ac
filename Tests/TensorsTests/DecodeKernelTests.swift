import FactoryCore
import Foundation
import Testing

@testable import Tensors

/// The batch-invariant kernels of decode steps against naive references, and their rows'
/// independence from the rest of the batch.
@Suite struct DecodeKernelTests {
    /// Values in [-1, 1) from a fixed LCG.
    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(state >> 40) / Float(1 << 24) * 2 - 1
        }
    }

    @Test(arguments: [1, 7, 16, 33])
    func rowwiseLinearMatchesADoublePrecisionReference(rows: Int) throws {
        let (inputs, outputs) = (37, 70)
        let x = try Tensor(shape: [rows, inputs], storage: Self.values(rows * inputs, seed: 1))
        let weight = try Tensor(shape: [outputs, inputs], storage: Self.values(outputs * inputs, seed: 2))
        let y = try RowwiseLinearKernel.forward(x, weight: weight, pool: ThreadPool(threadCount: 3))
        #expect(y.shape == [rows, outputs])
        for r in 0..<rows {
            for c in 0..<outputs {
                let reference = (0..<inputs).reduce(0.0) { $0 + Double(x[r, $1]) * Double(weight[c, $1]) }
                #expect(abs(Double(y[r, c]) - reference) <= 1e-5, "row \(r) column \(c)")
            }
        }
    }

    @Test func rowwiseLinearRowsDoNotDependOnTheOtherRowsOrTheThreadCount() throws {
        let (inputs, outputs) = (256, 300)
        let weight = try Tensor(shape: [outputs, inputs], storage: Self.values(outputs * inputs, seed: 3))
        let batch = try Tensor(shape: [16, inputs], storage: Self.values(16 * inputs, seed: 4))
        let all = try RowwiseLinearKernel.forward(batch, weight: weight, pool: ThreadPool(threadCount: 2))
        for row in [0, 5, 15] {
            let alone = try Tensor(shape: [1, inputs], storage: Array(batch.storage[row * inputs..<(row + 1) * inputs]))
            let single = try RowwiseLinearKernel.forward(alone, weight: weight, pool: .serial)
            #expect(single.storage.map(\.bitPattern) == all.storage[row * outputs..<(row + 1) * outputs].map(\.bitPattern))
        }
    }

    @Test func rotaryTableAtExplicitPositionsEqualsTheFullTableRows() {
        let full = RotaryTable(headDimension: 16, partialRotaryFactor: 0.5, theta: 10_000, length: 300)
        let positions = [299, 0, 17, 128]
        let picked = RotaryTable(headDimension: 16, partialRotaryFactor: 0.5, theta: 10_000, positions: positions)
        let half = full.rotaryDimensions / 2
        for (row, position) in positions.enumerated() {
            #expect(Array(picked.cosines[row * half..<(row + 1) * half]) == Array(full.cosines[position * half..<(position + 1) * half]))
            #expect(Array(picked.sines[row * half..<(row + 1) * half]) == Array(full.sines[position * half..<(position + 1) * half]))
        }
    }

    @Test func decodeAttentionMatchesASoftmaxReference() {
        let (count, d) = (9, 8)
        let query = Self.values(d, seed: 5)
        let keys = Self.values(count * d, seed: 6)
        let values = Self.values(count * d, seed: 7)
        var scores = [Float](repeating: 0, count: count)
        var output = [Float](repeating: 0, count: d)
        DecodeAttentionKernel.attend(
            query: query, keys: keys, values: values, count: count, headDimension: d, scores: &scores, output: &output)
        let logits = (0..<count).map { j in (0..<d).reduce(0.0) { $0 + Double(query[$1]) * Double(keys[j * d + $1]) } / sqrt(Double(d)) }
        let weights = logits.map { exp($0 - logits.max()!) }
        let total = weights.reduce(0, +)
        for i in 0..<d {
            let reference = (0..<count).reduce(0.0) { $0 + weights[$1] / total * Double(values[$1 * d + i]) }
            #expect(abs(Double(output[i]) - reference) <= 1e-6, "element \(i)")
        }
    }
}
