import Foundation
import Testing

@testable import Tensors

@Suite struct VectorExpTests {
    /// Against the C library's `exp` in Double, over the whole useful range.
    @Test func withinTwoUlpOfDoublePrecisionExp() {
        var worstUlps = 0.0
        var x: Float = -87
        while x < 88.5 {
            let lanes = SIMD8<Float>((0..<8).map { x + Float($0) * 0.0013 })
            let result = VectorExp.exp(lanes)
            for lane in 0..<8 {
                let exact = Foundation.exp(Double(lanes[lane]))
                let ulp = Double(Float(exact).ulp)
                worstUlps = max(worstUlps, abs(Double(result[lane]) - exact) / ulp)
            }
            x += 0.0173
        }
        #expect(worstUlps < 2, "worst error \(worstUlps) ulp")
    }

    @Test func limits() {
        #expect(VectorExp.exp(0) == 1)
        #expect(VectorExp.exp(-100) == 0)
        #expect(VectorExp.exp(-Float.infinity) == 0)
        #expect(VectorExp.exp(100) == .infinity)
    }
}
