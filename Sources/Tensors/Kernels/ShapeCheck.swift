import FactoryCore

/// Shape validation shared by the kernels: every mismatch is a `FactoryError` naming the operand.
enum ShapeCheck {
    /// Requires `tensor.shape.last == width`, returning the number of rows.
    static func rows(of tensor: Tensor, width: Int, operand: String) throws -> Int {
        guard let last = tensor.shape.last, last == width, width > 0 else {
            throw FactoryError.invalidArgument(
                name: "\(operand) shape", message: "expected last dimension \(width), got shape \(tensor.shape)")
        }
        return tensor.count / width
    }

    /// Requires two tensors to have the same shape.
    static func same(_ a: Tensor, _ b: Tensor, _ operands: String) throws {
        guard a.shape == b.shape else {
            throw FactoryError.invalidArgument(
                name: "\(operands) shapes", message: "must match, got \(a.shape) and \(b.shape)")
        }
    }

    /// Requires an exact shape.
    static func exact(_ tensor: Tensor, _ shape: [Int], operand: String) throws {
        guard tensor.shape == shape else {
            throw FactoryError.invalidArgument(name: "\(operand) shape", message: "expected \(shape), got \(tensor.shape)")
        }
    }
}
