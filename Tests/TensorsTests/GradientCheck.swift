import FactoryCore
import Testing

@testable import Tensors

/// Finite-difference checks for the kernels' backward passes.
///
/// Every check uses the scalar loss `L = Σ output ∘ R` for a fixed random `R` (so `dL/doutput = R`),
/// evaluated in Double from Float kernel outputs. Central differences with step `h = 1e-2` on
/// Float kernels have truncation error O(h²)·|f'''| and rounding error about
/// `ε_float · |L| / h ≈ 1e-5 · |L|`; both stay well under the 2% (relative to the largest
/// gradient) tolerance used, while a wrong term in a backward pass is off by far more.
enum GradientCheck {
    static func random(_ shape: [Int], seed: String, scale: Float = 1) throws -> Tensor {
        let stream = RandomStream(seed: 2024).split(seed)
        return try Tensor(shape: shape, storage: (0..<shape.reduce(1, *)).map { stream.normal(at: UInt64($0)) * scale })
    }

    /// `Σ output ∘ weights` in Double.
    static func project(_ output: Tensor, _ weights: Tensor) -> Double {
        zip(output.storage, weights.storage).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }

    /// Compares `analytic` with central differences of `loss` at `samples` indices of `input`.
    static func check(
        _ name: String, input: Tensor, analytic: Tensor, samples: Int = 48, step: Float = 1e-2,
        tolerance: Double = 2e-2, loss: (Tensor) throws -> Double
    ) throws {
        #expect(analytic.shape == input.shape, "\(name): gradient shape")
        let stream = RandomStream(seed: 99).split(name)
        let indices = input.count <= samples ? Array(0..<input.count) : (0..<samples).map { Int(stream.word(at: UInt64($0)) % UInt64(input.count)) }
        var worst = 0.0
        var largest = 1e-6
        for index in indices {
            var plus = input
            var minus = input
            plus.withUnsafeMutableBufferPointer { $0[index] += step }
            minus.withUnsafeMutableBufferPointer { $0[index] -= step }
            let numeric = (try loss(plus) - loss(minus)) / (2 * Double(step))
            let exact = Double(analytic.storage[index])
            worst = max(worst, abs(numeric - exact))
            largest = max(largest, abs(exact), abs(numeric))
        }
        #expect(worst / largest < tolerance, "\(name): max |numeric − analytic| = \(worst), largest gradient \(largest)")
    }
}
