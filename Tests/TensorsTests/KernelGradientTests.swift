import FactoryCore
import Foundation
import Testing

@testable import Tensors

@Suite struct KernelGradientTests {
    @Test func rmsNormForwardAndGradients() throws {
        let x = try GradientCheck.random([5, 16], seed: "rms-x")
        let w = try GradientCheck.random([16], seed: "rms-w")
        let r = try GradientCheck.random([5, 16], seed: "rms-r")
        let (y, inverse) = try RMSNormKernel.forward(x, weight: w, eps: 1e-6)
        for row in 0..<5 {
            let values = (0..<16).map { Double(x[row, $0]) }
            let rms = (values.map { $0 * $0 }.reduce(0, +) / 16 + 1e-6).squareRoot()
            for i in 0..<16 { #expect(abs(Double(y[row, i]) - Double(w.storage[i]) * values[i] / rms) < 1e-5) }
        }
        let (dx, dw) = try RMSNormKernel.backward(outputGradient: r, input: x, weight: w, inverseRMS: inverse)
        try GradientCheck.check("rms dx", input: x, analytic: dx) {
            try GradientCheck.project(RMSNormKernel.forward($0, weight: w, eps: 1e-6).output, r)
        }
        try GradientCheck.check("rms dw", input: w, analytic: dw) {
            try GradientCheck.project(RMSNormKernel.forward(x, weight: $0, eps: 1e-6).output, r)
        }
    }

    @Test func linearGradients() throws {
        let x = try GradientCheck.random([2, 3, 7], seed: "lin-x")
        let w = try GradientCheck.random([5, 7], seed: "lin-w")
        let r = try GradientCheck.random([2, 3, 5], seed: "lin-r")
        var dw = try Tensor(shape: [5, 7], repeating: 0.5)
        let dx = try LinearKernel.backward(outputGradient: r, input: x, weight: w, weightGradient: &dw)
        var accumulated = dw
        for i in 0..<accumulated.count { accumulated.withUnsafeMutableBufferPointer { $0[i] -= 0.5 } }
        try GradientCheck.check("linear dx", input: x, analytic: dx) { try GradientCheck.project(LinearKernel.forward($0, weight: w), r) }
        try GradientCheck.check("linear dw (accumulated onto 0.5)", input: w, analytic: accumulated) {
            try GradientCheck.project(LinearKernel.forward(x, weight: $0), r)
        }
        #expect { try LinearKernel.forward(x, weight: try Tensor(shape: [5, 6])) } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "linear weight shape" && message.contains("expected [5, 7], got [5, 6]")
        }
    }

    @Test func swigluGradients() throws {
        let g = try GradientCheck.random([4, 9], seed: "swiglu-g", scale: 2)
        let u = try GradientCheck.random([4, 9], seed: "swiglu-u")
        let r = try GradientCheck.random([4, 9], seed: "swiglu-r")
        let h = try SwiGLUKernel.forward(gate: g, up: u)
        for i in 0..<h.count {
            let gi = Double(g.storage[i])
            #expect(abs(Double(h.storage[i]) - gi / (1 + exp(-gi)) * Double(u.storage[i])) < 1e-5)
        }
        let (dg, du) = try SwiGLUKernel.backward(outputGradient: r, gate: g, up: u)
        try GradientCheck.check("swiglu dgate", input: g, analytic: dg) { try GradientCheck.project(SwiGLUKernel.forward(gate: $0, up: u), r) }
        try GradientCheck.check("swiglu dup", input: u, analytic: du) { try GradientCheck.project(SwiGLUKernel.forward(gate: g, up: $0), r) }
    }

    @Test(arguments: [true, false])
    func outputGateGradients(perHead: Bool) throws {
        let (rows, heads, headDim) = (3, 4, 5)
        let a = try GradientCheck.random([rows, heads * headDim], seed: "gate-a")
        let g = try GradientCheck.random([rows, perHead ? heads : heads * headDim], seed: "gate-g", scale: 2)
        let r = try GradientCheck.random([rows, heads * headDim], seed: "gate-r")
        let y = try OutputGateKernel.forward(attention: a, gate: g, headDimension: headDim)
        let expected = a.storage.indices.map { i -> Float in
            let (row, column) = (i / (heads * headDim), i % (heads * headDim))
            let gate = perHead ? g[row, column / headDim] : g[row, column]
            return a.storage[i] * log1pf(expf(gate))
        }
        #expect(zip(y.storage, expected).allSatisfy { abs($0 - $1) < 1e-5 })
        let (da, dg) = try OutputGateKernel.backward(outputGradient: r, attention: a, gate: g, headDimension: headDim)
        try GradientCheck.check("gate dattn", input: a, analytic: da) {
            try GradientCheck.project(OutputGateKernel.forward(attention: $0, gate: g, headDimension: headDim), r)
        }
        try GradientCheck.check("gate dgate", input: g, analytic: dg) {
            try GradientCheck.project(OutputGateKernel.forward(attention: a, gate: $0, headDimension: headDim), r)
        }
    }

    @Test func rotaryMatchesRotateHalfAndInvertsExactly() throws {
        // head_dim 8, partial 0.5: dims 0..<4 rotate (pairs (0,2), (1,3)), dims 4..<8 pass through.
        let table = RotaryTable(headDimension: 8, partialRotaryFactor: 0.5, theta: 10_000, length: 6)
        #expect(table.rotaryDimensions == 4)
        let x = try GradientCheck.random([1, 6, 2, 8], seed: "rope-x")
        var y = x
        try RotaryKernel.forward(&y, table: table)
        for t in 0..<6 {
            for h in 0..<2 {
                for i in 0..<2 {
                    let angle = Double(t) / pow(10_000, Double(2 * i) / 4)
                    let (first, second) = (Double(x[0, t, h, i]), Double(x[0, t, h, i + 2]))
                    #expect(abs(Double(y[0, t, h, i]) - (first * cos(angle) - second * sin(angle))) < 1e-5)
                    #expect(abs(Double(y[0, t, h, i + 2]) - (second * cos(angle) + first * sin(angle))) < 1e-5)
                }
                for i in 4..<8 { #expect(y[0, t, h, i] == x[0, t, h, i]) }
            }
        }
        let r = try GradientCheck.random([1, 6, 2, 8], seed: "rope-r")
        var dx = r
        try RotaryKernel.backward(&dx, table: table)
        try GradientCheck.check("rope dx", input: x, analytic: dx) { input in
            var rotated = input
            try RotaryKernel.forward(&rotated, table: table)
            return GradientCheck.project(rotated, r)
        }
    }

    @Test func crossEntropyLossAndGradient() throws {
        let logits = try GradientCheck.random([6, 11], seed: "ce-logits", scale: 3)
        let targets: [Int32] = [0, 10, 3, 3, 7, 1]
        let (loss, perToken, gradient) = try CrossEntropyKernel.lossAndGradient(logits: logits, targets: targets)
        var expected = 0.0
        for row in 0..<6 {
            let values = (0..<11).map { Double(logits[row, $0]) }
            let tokenLoss = log(values.map { exp($0) }.reduce(0, +)) - values[Int(targets[row])]
            #expect(abs(Double(perToken[row]) - tokenLoss) < 1e-4)
            expected += tokenLoss / 6
        }
        #expect(abs(Double(loss) - expected) < 1e-5)
        try GradientCheck.check("cross-entropy dlogits", input: logits, analytic: gradient, samples: 66) {
            Double(try CrossEntropyKernel.lossAndGradient(logits: $0, targets: targets).loss)
        }
        #expect { try CrossEntropyKernel.lossAndGradient(logits: logits, targets: [0, 1, 2, 3, 4, 11]) } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "target id" && message.contains("11 at position 5 is outside the vocabulary (0..<11)")
        }
        // Ignored positions drop out of the mean and get no gradient.
        let ignored: [Int32] = [0, 10, -100, 3, 7, -100]
        let partial = try CrossEntropyKernel.lossAndGradient(logits: logits, targets: ignored)
        let kept = [0, 1, 3, 4]
        #expect(abs(Double(partial.loss) - kept.map { Double(perToken[$0]) }.reduce(0, +) / 4) < 1e-5)
        #expect((0..<11).allSatisfy { partial.gradient[2, $0] == 0 && partial.gradient[5, $0] == 0 })
        try GradientCheck.check("cross-entropy dlogits with ignored targets", input: logits, analytic: partial.gradient, samples: 66) {
            Double(try CrossEntropyKernel.lossAndGradient(logits: $0, targets: ignored).loss)
        }
    }

    @Test func embeddingGatherAndScatterAdd() throws {
        let table = try GradientCheck.random([5, 3], seed: "emb-table")
        let tokens: [Int32] = [4, 1, 4, 0]
        let y = try EmbeddingKernel.forward(tokens: tokens, table: table)
        #expect(Array(y.storage[0..<3]) == Array(table.storage[12..<15]))
        let r = try GradientCheck.random([4, 3], seed: "emb-r")
        var gradient = try Tensor(shape: [5, 3])
        try EmbeddingKernel.backward(tokens: tokens, outputGradient: r, tableGradient: &gradient)
        try GradientCheck.check("embedding dtable", input: table, analytic: gradient) {
            try GradientCheck.project(EmbeddingKernel.forward(tokens: tokens, table: $0), r)
        }
        #expect { try EmbeddingKernel.forward(tokens: [5], table: table) } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "token id" && message.contains("5 at position 0 is outside the vocabulary (0..<5)")
        }
    }
}
