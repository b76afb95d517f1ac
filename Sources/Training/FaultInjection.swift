import FactoryCore
import Models

/// A drill: flips one bit of one element of one replica's weights right after the optimizer
/// update of a given step, once (a replay after rollback runs clean).
public struct FaultInjection: Equatable, Sendable {
    /// The replica whose weights are corrupted.
    public var replica: Int
    /// The step after whose update the bit is flipped.
    public var step: Int
    /// The parameter's name.
    public var tensor: String
    /// The element's flat index in the tensor.
    public var element: Int
    /// The bit of the element's `Float` bit pattern, 0 (least significant) to 31.
    public var bit: Int

    /// A fault to inject.
    public init(replica: Int, step: Int, tensor: String, element: Int, bit: Int) {
        self.replica = replica
        self.step = step
        self.tensor = tensor
        self.element = element
        self.bit = bit
    }

    /// Flips the bit in `parameters`, checking that the tensor, element and bit exist.
    public func apply(to parameters: inout ParameterSet) throws {
        guard parameters.contains(tensor) else {
            throw FactoryError.invalidArgument(name: "fault tensor", message: "'\(tensor)' is not a parameter of this model")
        }
        guard (0..<parameters[tensor].count).contains(element) else {
            throw FactoryError.invalidArgument(
                name: "fault element", message: "\(element) is outside \(tensor)'s \(parameters[tensor].count) elements")
        }
        guard (0..<32).contains(bit) else {
            throw FactoryError.invalidArgument(name: "fault bit", message: "\(bit) is not a bit of a 32-bit float (0 to 31)")
        }
        let mask = UInt32(1) << UInt32(bit)
        parameters.update(tensor) { tensor in
            tensor.withUnsafeMutableBufferPointer { $0[element] = Float(bitPattern: $0[element].bitPattern ^ mask) }
        }
    }
}
