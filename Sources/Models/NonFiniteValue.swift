import Tensors

/// The first NaN or infinity in a tensor or a parameter set: what keeps diverged weights out of
/// checkpoints and evaluations.
public struct NonFiniteValue: Equatable, Sendable {
    /// The tensor's name (empty for a lone tensor).
    public var tensor: String
    /// The element's flat index.
    public var index: Int
    /// The value: `nan`, `inf` or `-inf`.
    public var value: Float

    /// The first non-finite element of `tensor`, if any.
    public static func first(in tensor: Tensor) -> NonFiniteValue? {
        tensor.withUnsafeBufferPointer { buffer in
            for index in buffer.indices where !buffer[index].isFinite {
                return NonFiniteValue(tensor: "", index: index, value: buffer[index])
            }
            return nil
        }
    }

    /// The first non-finite element of `parameters`, in parameter order, if any.
    public static func first(in parameters: ParameterSet) -> NonFiniteValue? {
        for name in parameters.names {
            if var found = first(in: parameters[name]) {
                found.tensor = name
                return found
            }
        }
        return nil
    }

    /// "model.norm.weight holds nan at element 3" (every NaN payload reads `nan`).
    public var description: String { "\(tensor) holds \(value.isNaN ? "nan" : "\(value)") at element \(index)" }
}
