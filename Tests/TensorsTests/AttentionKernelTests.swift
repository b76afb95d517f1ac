import FactoryCore
import Foundation
import Testing

@testable import Tensors

@Suite struct AttentionKernelTests {
    /// Naive attention in Double: full softmax over every visible key, no blocking.
    static func reference(q: Tensor, k: Tensor, v: Tensor, window: Int?) -> [Double] {
        let (B, T, H, d) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3])
        let G = k.shape[2]
        var out = [Double](repeating: 0, count: q.count)
        for b in 0..<B {
            for h in 0..<H {
                let g = h / (H / G)
                for i in 0..<T {
                    let visible = (0...i).filter { j in window.map { j > i - $0 } ?? true }
                    let scores = visible.map { j in
                        (0..<d).reduce(0.0) { $0 + Double(q[b, i, h, $1]) * Double(k[b, j, g, $1]) } / Double(d).squareRoot()
                    }
                    let maximum = scores.max()!
                    let weights = scores.map { exp($0 - maximum) }
                    let total = weights.reduce(0, +)
                    for e in 0..<d {
                        out[((b * T + i) * H + h) * d + e] = zip(visible, weights).reduce(0.0) { $0 + $1.1 / total * Double(v[b, $1.0, g, e]) }
                    }
                }
            }
        }
        return out
    }

    static let cases: [(time: Int, heads: Int, kvHeads: Int, window: Int?)] = [
        (7, 2, 2, nil), (70, 4, 2, nil), (150, 4, 1, 40), (130, 2, 2, 1), (9, 6, 3, 3),
    ]

    @Test(arguments: 0..<5)
    func forwardMatchesNaiveReference(caseIndex: Int) throws {
        let (T, H, G, window) = Self.cases[caseIndex]
        let d = 8
        let q = try GradientCheck.random([2, T, H, d], seed: "attn-q\(caseIndex)")
        let k = try GradientCheck.random([2, T, G, d], seed: "attn-k\(caseIndex)")
        let v = try GradientCheck.random([2, T, G, d], seed: "attn-v\(caseIndex)")
        let (output, _) = try AttentionKernel.forward(query: q, key: k, value: v, window: window)
        let expected = Self.reference(q: q, k: k, v: v, window: window)
        let worst = zip(output.storage, expected).map { abs(Double($0) - $1) }.max()!
        #expect(worst < 1e-5, "case \(caseIndex): max error \(worst)")
    }

    @Test(arguments: [nil, 5] as [Int?])
    func gradientsMatchFiniteDifferences(window: Int?) throws {
        // Spans two query blocks (T > 64) with GQA (4 heads over 2 KV heads).
        let (B, T, H, G, d) = (1, 70, 4, 2, 4)
        let q = try GradientCheck.random([B, T, H, d], seed: "attn-gq")
        let k = try GradientCheck.random([B, T, G, d], seed: "attn-gk")
        let v = try GradientCheck.random([B, T, G, d], seed: "attn-gv")
        let r = try GradientCheck.random([B, T, H, d], seed: "attn-gr")
        let (output, lse) = try AttentionKernel.forward(query: q, key: k, value: v, window: window)
        let (dq, dk, dv) = try AttentionKernel.backward(
            outputGradient: r, query: q, key: k, value: v, output: output, logSumExp: lse, window: window)
        try GradientCheck.check("attention dq", input: q, analytic: dq) {
            try GradientCheck.project(AttentionKernel.forward(query: $0, key: k, value: v, window: window).output, r)
        }
        try GradientCheck.check("attention dk", input: k, analytic: dk) {
            try GradientCheck.project(AttentionKernel.forward(query: q, key: $0, value: v, window: window).output, r)
        }
        try GradientCheck.check("attention dv", input: v, analytic: dv) {
            try GradientCheck.project(AttentionKernel.forward(query: q, key: k, value: $0, window: window).output, r)
        }
    }

    @Test func identicalForEveryThreadCount() throws {
        let q = try GradientCheck.random([2, 100, 4, 8], seed: "attn-tq")
        let k = try GradientCheck.random([2, 100, 2, 8], seed: "attn-tk")
        let v = try GradientCheck.random([2, 100, 2, 8], seed: "attn-tv")
        let r = try GradientCheck.random([2, 100, 4, 8], seed: "attn-tr")
        let results = try [1, 2, 7].map { threads -> [Float] in
            let pool = ThreadPool(threadCount: threads)
            let (output, lse) = try AttentionKernel.forward(query: q, key: k, value: v, window: 30, pool: pool)
            let grads = try AttentionKernel.backward(
                outputGradient: r, query: q, key: k, value: v, output: output, logSumExp: lse, window: 30, pool: pool)
            return output.storage + grads.query.storage + grads.key.storage + grads.value.storage
        }
        #expect(results[0] == results[1])
        #expect(results[0] == results[2])
    }

    @Test func badShapesAreRejected() throws {
        let q = try Tensor(shape: [1, 4, 3, 8])
        let k = try Tensor(shape: [1, 4, 2, 8])
        #expect { try AttentionKernel.forward(query: q, key: k, value: k, window: nil) } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "attention shapes" && message.contains("query [1, 4, 3, 8], key [1, 4, 2, 8], value [1, 4, 2, 8]")
        }
        #expect { try AttentionKernel.forward(query: k, key: k, value: k, window: 0) } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "sliding window" && message.contains("must be at least 1, got 0")
        }
    }
}
