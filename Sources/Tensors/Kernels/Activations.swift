import Foundation

/// Scalar activation functions and their derivatives, shared by the kernels.
public enum Activations {
    /// `1 / (1 + e^-x)`, stable for large |x|.
    @inlinable
    public static func sigmoid(_ x: Float) -> Float {
        x >= 0 ? 1 / (1 + expf(-x)) : expf(x) / (1 + expf(x))
    }

    /// `x · sigmoid(x)`.
    @inlinable
    public static func silu(_ x: Float) -> Float { x * sigmoid(x) }

    /// d silu / dx = `s · (1 + x · (1 − s))` with `s = sigmoid(x)`.
    @inlinable
    public static func siluDerivative(_ x: Float) -> Float {
        let s = sigmoid(x)
        return s * (1 + x * (1 - s))
    }

    /// `log(1 + e^x)`, computed as PyTorch does: linear above a threshold of 20.
    @inlinable
    public static func softplus(_ x: Float) -> Float {
        x > 20 ? x : log1pf(expf(x))
    }

    /// d softplus / dx = `sigmoid(x)`.
    @inlinable
    public static func softplusDerivative(_ x: Float) -> Float {
        x > 20 ? 1 : sigmoid(x)
    }
}
