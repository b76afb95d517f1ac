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

    /// The arithmetics this machine runs: the portable one always, the fused one on AVX2 + FMA CPUs.
    static let arithmetics: [RowwiseLinearKernel.Arithmetic] =
        RowwiseLinearKernel.Arithmetic.machine == .fusedAVX2 ? [.portable, .fusedAVX2] : [.portable]

    @Test(arguments: [1, 7, 16, 33], arithmetics)
    func rowwiseLinearMatchesADoublePrecisionReference(rows: Int, arithmetic: RowwiseLinearKernel.Arithmetic) throws {
        let (inputs, outputs) = (37, 70)
        let x = try Tensor(shape: [rows, inputs], storage: Self.values(rows * inputs, seed: 1))
        let weight = try Tensor(shape: [outputs, inputs], storage: Self.values(outputs * inputs, seed: 2))
        let y = try RowwiseLinearKernel.forward(x, weight: weight, pool: ThreadPool(threadCount: 3), arithmetic: arithmetic)
        #expect(y.shape == [rows, outputs])
        for r in 0..<rows {
            for c in 0..<outputs {
                let reference = (0..<inputs).reduce(0.0) { $0 + Double(x[r, $1]) * Double(weight[c, $1]) }
                #expect(abs(Double(y[r, c]) - reference) <= 1e-5, "row \(r) column \(c)")
            }
        }
    }

    /// `Σ a[i]·b[i]` in an arithmetic's documented order, one element at a time: `lanes`
    /// accumulators over whole groups, summed pairwise from the halves inwards, then the tail.
    static func orderedDot(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>, arithmetic: RowwiseLinearKernel.Arithmetic) -> Float {
        let (a, b) = (Array(a), Array(b))
        let fused = arithmetic == .fusedAVX2
        let width = fused ? 8 : 4
        var lanes = [Float](repeating: 0, count: width)
        var i = 0
        while i + width <= a.count {
            for lane in 0..<width {
                lanes[lane] = fused ? lanes[lane].addingProduct(a[i + lane], b[i + lane]) : lanes[lane] + a[i + lane] * b[i + lane]
            }
            i += width
        }
        if fused { lanes = (0..<4).map { lanes[$0] + lanes[$0 + 4] } }
        var sum = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3])
        while i < a.count {
            sum = fused ? sum.addingProduct(a[i], b[i]) : sum + a[i] * b[i]
            i += 1
        }
        return sum
    }

    @Test(arguments: [1, 2, 5, 16], arithmetics)
    func rowwiseLinearElementsTakeTheDocumentedOrderBitwise(rows: Int, arithmetic: RowwiseLinearKernel.Arithmetic) throws {
        let (inputs, outputs) = (45, 11)
        let xs = Self.values(rows * inputs, seed: 8)
        let ws = Self.values(outputs * inputs, seed: 9)
        let y = try RowwiseLinearKernel.forward(
            try Tensor(shape: [rows, inputs], storage: xs), weight: try Tensor(shape: [outputs, inputs], storage: ws),
            pool: ThreadPool(threadCount: 2), arithmetic: arithmetic)
        for r in 0..<rows {
            for c in 0..<outputs {
                let expected = Self.orderedDot(
                    xs[r * inputs..<(r + 1) * inputs], ws[c * inputs..<(c + 1) * inputs], arithmetic: arithmetic)
                #expect(y[r, c].bitPattern == expected.bitPattern, "row \(r) column \(c)")
            }
        }
    }

    @Test(arguments: arithmetics)
    func rowwiseLinearRowsDoNotDependOnTheOtherRowsOrTheThreadCount(arithmetic: RowwiseLinearKernel.Arithmetic) throws {
        let (inputs, outputs) = (256, 300)
        let weight = try Tensor(shape: [outputs, inputs], storage: Self.values(outputs * inputs, seed: 3))
        let batch = try Tensor(shape: [16, inputs], storage: Self.values(16 * inputs, seed: 4))
        let all = try RowwiseLinearKernel.forward(batch, weight: weight, pool: ThreadPool(threadCount: 2), arithmetic: arithmetic)
        for row in [0, 5, 15] {
            let alone = try Tensor(shape: [1, inputs], storage: Array(batch.storage[row * inputs..<(row + 1) * inputs]))
            let single = try RowwiseLinearKernel.forward(alone, weight: weight, pool: .serial, arithmetic: arithmetic)
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
